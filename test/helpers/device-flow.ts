import type TestAgent from 'supertest/lib/agent.js';
import type { BridgeConfig, OidcIdp } from '../../src/config/index.js';
import type { MemoryStore } from '../../src/store/index.js';
import { DEVICE_CODE_GRANT } from '../../src/wire/oauth.js';
import type { testBridge } from './bridge.js';
import type { FakeOp, FakeOpUser } from './fake-op.js';
import { csrfOf, signIn } from './web.js';

/** Shared steps of the device-flow tests: the CLI's requests and the browser's. */
export const CLIENT_ID = 'rambridge-cli';

export const ALICE: FakeOpUser = { sub: 'alice-sub', email: 'alice@example.com', name: 'Alice', groups: ['rambridge-dev'], amr: ['pwd'] };
export const BOB: FakeOpUser = { sub: 'bob-sub', email: 'bob@example.com', name: 'Bob', groups: ['rambridge-readonly'], amr: ['pwd'] };

/** `refreshGroups` on the test bridge's OIDC IdP: refreshes (and browser sessions) re-read the user there. */
export const withRefreshGroups = (c: BridgeConfig) => void ((c.idps[0] as OidcIdp).refreshGroups = true);
/** Bob, and Bob once the IdP moved him from the readonly group to the dev group. */
export const READER: FakeOpUser = { ...BOB, groups: ['rambridge-readonly'] };
export const MOVED_TO_DEV: FakeOpUser = { ...READER, groups: ['rambridge-dev'] };

export type Bridge = Awaited<ReturnType<typeof testBridge<MemoryStore>>>;

export function authorize(cli: TestAgent, params: Record<string, string> = {}) {
  return cli
    .post('/oauth/device_authorization')
    .type('form')
    .send({ client_id: CLIENT_ID, client_host: 'alice-laptop', client_version: '0.1.0', ...params });
}

/** Starts a device authorization that must succeed; returns its body. */
export async function started(cli: TestAgent, params: Record<string, string> = {}) {
  const res = await authorize(cli, params).expect(200);
  return res.body as {
    device_code: string;
    user_code: string;
    verification_uri: string;
    verification_uri_complete: string;
    expires_in: number;
    interval: number;
  };
}

export function poll(cli: TestAgent, deviceCode: string, extra: Record<string, string> = {}) {
  return cli
    .post('/oauth/token')
    .type('form')
    .send({ grant_type: DEVICE_CODE_GRANT, device_code: deviceCode, client_id: CLIENT_ID, ...extra });
}

export function refresh(cli: TestAgent, refreshToken: string) {
  return cli.post('/oauth/token').type('form').send({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });
}

/** A browser agent of `bridge` signed in as `user` through the fake OP. */
export function signedIn(bridge: Pick<Bridge, 'agent'>, op: FakeOp, user: FakeOpUser = ALICE): Promise<TestAgent> {
  return signIn(bridge.agent(), op, user);
}

/** The header that presents an access token to the API. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Posts the code form (and, with `decision`, the confirmation form) the way the pages do. */
export async function submit(browser: TestAgent, userCode: string, decision?: 'approve' | 'deny') {
  const form = await browser.get('/device').expect(200);
  return browser
    .post('/device')
    .type('form')
    .send({ _csrf: csrfOf(form.text), user_code: userCode, ...(decision ? { decision } : {}) });
}

/** Enters the code, checks the confirmation page, then approves or denies there. */
export async function decide(browser: TestAgent, userCode: string, decision: 'approve' | 'deny') {
  const confirm = await submit(browser, userCode);
  if (!confirm.text.includes('data-testid="device-confirm"')) throw new Error(`no confirmation page: ${confirm.status}`);
  return browser
    .post('/device')
    .type('form')
    .send({ _csrf: csrfOf(confirm.text), user_code: userCode, decision })
    .expect(200);
}

/** A full login: authorize, approve as `user`, redeem. Returns the token response. */
export async function loggedIn(bridge: Pick<Bridge, 'agent'>, op: FakeOp, user: FakeOpUser = ALICE) {
  const cli = bridge.agent();
  const { device_code, user_code } = await started(cli);
  await decide(await signedIn(bridge, op, user), user_code, 'approve');
  const res = await poll(cli, device_code).expect(200);
  return { cli, tokens: res.body as { access_token: string; refresh_token: string; expires_in: number; token_type: string } };
}
