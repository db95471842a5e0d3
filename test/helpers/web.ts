import type TestAgent from 'supertest/lib/agent.js';
import { loginThroughFakeOp, testBridge } from './bridge.js';
import type { FakeOp, FakeOpUser } from './fake-op.js';

/** The CSRF token of a page's (first) form. */
export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

/** Signs `browser` in as `user` through the fake OP; throws unless the callback redirects. */
export async function signIn(browser: TestAgent, op: FakeOp, user: FakeOpUser): Promise<TestAgent> {
  op.user = user;
  const res = await loginThroughFakeOp(browser, op);
  if (res.status !== 302) throw new Error(`sign-in answered ${res.status}`);
  return browser;
}

/**
 * A fresh test bridge with a browser signed in as `user`, and what the browser finds at /roles:
 * the page (whatever its status) and the CSRF token of its forms.
 */
export async function signedInBrowser(op: FakeOp, user: FakeOpUser, options: Parameters<typeof testBridge>[1] = {}) {
  const bridge = await testBridge(op, options);
  const browser = await signIn(bridge.agent(), op, user);
  const page = await browser.get('/roles');
  return { ...bridge, browser, page, csrf: csrfOf(page.text) };
}
