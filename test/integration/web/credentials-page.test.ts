import { createStsClient } from '../../../src/sts/index.js';
import { bridgeWithEmulator, loginThroughFakeOp } from '../../helpers/bridge.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { csrfOf } from '../../helpers/web.js';

/**
 * Issue 12 items 5 and 6: "Get CLI credentials" follows POST-redirect-GET. The POST mints once and
 * answers 303; the GET page shows the credentials to the session that minted them, again on
 * reload without minting, for 15 minutes at most; after that it says they are no longer shown
 * and offers the role again. Another session or user gets a coded 404.
 */
let op: FakeOp;
beforeAll(async () => {
  op = await FakeOp.start();
});
afterAll(() => op.close());

const ALICE = { sub: 'alice-sub', email: 'alice@example.com', name: 'Alice', groups: ['rambridge-dev', 'rambridge-ops'], amr: ['pwd'] };
const BOB = { sub: 'bob-sub', email: 'bob@example.com', name: 'Bob', groups: ['rambridge-dev'], amr: ['pwd'] };

type Bridge = Awaited<ReturnType<typeof bridgeWithEmulator>>;
let open: Bridge[] = [];
afterEach(async () => {
  await Promise.all(open.map((b) => b.close()));
  open = [];
});

async function bridge(): Promise<Bridge> {
  const b = await bridgeWithEmulator(op);
  open.push(b);
  return b;
}

async function browserOf(b: Bridge, user: typeof ALICE = ALICE) {
  const browser = b.agent();
  op.user = user;
  await loginThroughFakeOp(browser, op);
  const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
  const mint = async (role: string, duration = '3600') => {
    const res = await browser
      .post('/roles/credentials')
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrf, role, duration })
      .expect(303);
    return res.headers.location!;
  };
  const page = (path: string) => browser.get(path).set('Accept', 'text/html');
  return { browser, csrf, mint, page };
}

const secretOf = (html: string) => /ALIBABA_CLOUD_ACCESS_KEY_SECRET=(?:'|&#39;)([^'&]+)/.exec(html)?.[1];
const keyIdOf = (html: string) => /ALIBABA_CLOUD_ACCESS_KEY_ID=(?:'|&#39;)([^'&]+)/.exec(html)?.[1];
const codeOf = (res: { body: { code?: string } }) => res.body.code;

test('the POST mints once and redirects; the page and every reload show the same working keys, never cached', async () => {
  const b = await bridge();
  const alice = await browserOf(b);
  const location = await alice.mint('dev-readonly');
  expect(location).toMatch(/^\/roles\/credentials\/[A-Za-z0-9_-]{43}$/);

  const first = await alice.page(location).expect(200);
  expect(first.headers['cache-control']).toBe('no-store');
  expect(first.text).toContain('data-testid="credentials"');
  const second = await alice.page(location).expect(200);
  const third = await alice.page(location).expect(200);
  expect(keyIdOf(second.text)).toBe(keyIdOf(first.text));
  expect(secretOf(third.text)).toBe(secretOf(first.text));
  // One issuance for one POST, however often the page is shown (the issuer audits every STS mint).
  expect(b.audits()).toHaveLength(1);
  expect(b.audits()[0]).toMatchObject({ accessKeyId: keyIdOf(first.text), channel: 'web-credentials' });

  const sts = createStsClient({ endpoint: new URL(b.emulatorUrl).host, protocol: 'http' });
  const who = await sts.getCallerIdentity({
    accessKeyId: keyIdOf(third.text)!,
    accessKeySecret: secretOf(third.text)!,
    securityToken: /ALIBABA_CLOUD_SECURITY_TOKEN=(?:'|&#39;)([^'&]+)/.exec(third.text)![1]!,
  });
  expect(who.arn).toContain('rambridge-dev-readonly');

  // Neither the URL nor the store key carries a secret: the id is random, and stored by its hash.
  expect(location).not.toContain(secretOf(first.text)!);
  const id = location.split('/').pop()!;
  expect(await b.store.find(`web-credentials:${id}`)).toBeUndefined();
});

test('another session of the same user, and another user, get a coded 404, never the keys', async () => {
  const b = await bridge();
  const alice = await browserOf(b);
  const location = await alice.mint('dev-readonly');

  const aliceElsewhere = await browserOf(b);
  const elsewhere = await aliceElsewhere.page(location).set('Accept', 'application/json').expect(404);
  expect(codeOf(elsewhere)).toBe('ERR_CREDENTIALS_NOT_YOURS');
  const html = await aliceElsewhere.page(location).expect(404);
  expect(html.text).toContain('ERR_CREDENTIALS_NOT_YOURS');
  expect(html.text).toContain('shown to another sign-in');
  expect(secretOf(html.text)).toBeUndefined();

  const bob = await browserOf(b, BOB);
  expect(codeOf(await bob.page(location).set('Accept', 'application/json').expect(404))).toBe('ERR_CREDENTIALS_NOT_YOURS');
  // Once the credentials are gone, Bob still learns nothing (not even that it was dev-readonly).
  b.clock.advance(16 * 60 * 1000);
  expect(codeOf(await bob.page(location).set('Accept', 'application/json').expect(404))).toBe('ERR_CREDENTIALS_NOT_YOURS');

  // Signed out: the sign-in page, and back to this page afterwards.
  const anonymous = await b.agent().get(location).expect(302);
  expect(anonymous.headers.location).toBe(`/login?return_to=${encodeURIComponent(location)}`);
});

test('opening another sign-in’s credentials page is audited with who asked, and logged with whose page it was, neither with the page id', async () => {
  const b = await bridge();
  const alice = await browserOf(b);
  const location = await alice.mint('dev-readonly');
  const id = location.split('/').pop()!;
  const bob = await browserOf(b, BOB);
  const lines = () => b.logLines.map((l) => JSON.parse(l) as Record<string, unknown>);

  b.logLines.length = 0;
  await bob.page(location).expect(404);
  const audited = lines().filter((l) => l.audit === true);
  expect(audited).toEqual([
    expect.objectContaining({
      event: 'refusal',
      code: 'ERR_CREDENTIALS_NOT_YOURS',
      status: 404,
      route: '/roles/credentials/:id',
      user: expect.objectContaining({ subject: BOB.sub, email: BOB.email }),
    }),
  ]);
  expect(lines().find((l) => l.msg === 'request refused')).toMatchObject({
    code: 'ERR_CREDENTIALS_NOT_YOURS',
    detail: { subject: BOB.sub, owner: ALICE.sub, ownerMatches: false },
  });
  expect(JSON.stringify(lines().filter((l) => l.audit === true || l.msg === 'request refused'))).not.toContain(id);

  // Alice in another browser: the same refusal, the log says it was her own page.
  b.logLines.length = 0;
  await (await browserOf(b)).page(location).expect(404);
  expect(lines().find((l) => l.msg === 'request refused')).toMatchObject({ detail: { subject: ALICE.sub, ownerMatches: true } });
  expect(lines().filter((l) => l.audit === true && l.event === 'refusal')).toHaveLength(1); // its sign-in is a record too

  // An id that was never a page stays an unaudited ERR_NOT_FOUND (scanners).
  b.logLines.length = 0;
  await bob.page('/roles/credentials/not-a-page-id').expect(404);
  expect(lines().filter((l) => l.audit === true)).toEqual([]);
});

test('after 15 minutes the page says they are no longer shown and offers the role again: no error, no keys', async () => {
  const b = await bridge();
  const alice = await browserOf(b);
  const location = await alice.mint('dev-readonly', '3600');
  b.clock.advance(14 * 60 * 1000);
  expect(secretOf((await alice.page(location).expect(200)).text)).toBeDefined();
  b.clock.advance(2 * 60 * 1000);
  const gone = await alice.page(location).expect(200);
  expect(gone.headers['cache-control']).toBe('no-store');
  expect(gone.text).toContain('data-testid="credentials-gone"');
  expect(gone.text).toContain('href="/roles/dev-readonly" data-testid="credentials-again"');
  expect(secretOf(gone.text)).toBeUndefined();
  // An id that never was: the same friendly page, pointing at the picker.
  const never = await alice.page(`/roles/credentials/${'A'.repeat(43)}`).expect(200);
  expect(never.text).toContain('href="/roles" data-testid="credentials-again"');
  await alice.page('/roles/credentials/not-an-id').expect(404);
});

test('the countdown starts from the server clock; 15-minute credentials count their last minute in seconds, then are gone', async () => {
  const b = await bridge();
  const alice = await browserOf(b);
  const location = await alice.mint('dev-readonly', '3600');
  // Both minted now: the emulator's STS keeps real time, and refuses sign-in proofs from the future.
  const short = await alice.mint('dev-readonly', '900');
  const secondsLeft = (html: string) => Number(/data-seconds-left="(\d+)"/.exec(html)![1]);
  const at = (await alice.page(location).expect(200)).text;
  // STS states the expiry to the second (by the emulator's real clock, a moment after the bridge's):
  // a fresh hour is about 3600 seconds away.
  expect(Math.abs(secondsLeft(at) - 3600)).toBeLessThanOrEqual(2);
  expect(at).toMatch(/Expires in (1 h|59 min)\./);
  b.clock.advance(61_000);
  const later = (await alice.page(location).expect(200)).text;
  expect(secondsLeft(later)).toBe(secondsLeft(at) - 61);
  expect(later).toMatch(/Expires in (58|57) min\./);

  b.clock.advance(14 * 60 * 1000 + 30_000 - 61_000);
  expect((await alice.page(short).expect(200)).text).toMatch(/Expires in [23]\d s\./);
  b.clock.advance(90_000);
  expect((await alice.page(short).expect(200)).text).toContain('data-testid="credentials-gone"');
});

test('each shell gets its tab, and the page uses the one profile name', async () => {
  const b = await bridge();
  const alice = await browserOf(b);
  const later = (await alice.page(await alice.mint('dev-readonly')).expect(200)).text;
  for (const shell of ['bash', 'fish', 'powershell', 'cmd']) expect(later).toContain(`data-testid="shell-${shell}"`);
  expect(later).toMatch(/set -gx ALIBABA_CLOUD_ACCESS_KEY_ID /);
  expect(later).toMatch(/\$Env:ALIBABA_CLOUD_ACCESS_KEY_ID = /);
  expect(later).toContain('set &quot;ALIBABA_CLOUD_ACCESS_KEY_ID=');
  expect(later).toContain('aliyun configure set --profile &#39;rambridge-dev-readonly&#39; --mode StsToken --region cn-hangzhou');
  expect(later).toContain('&quot;name&quot;: &quot;rambridge-dev-readonly&quot;');
  // Every code block can be reached and scrolled from the keyboard, and has a name.
  const pres = later.match(/<pre[^>]*>/g)!;
  expect(pres).toHaveLength(9);
  for (const pre of pres) expect(pre).toMatch(/tabindex="0" aria-label="[^"]+"/);
});

test('the language switcher on the page comes back to the same page, which then speaks the other language', async () => {
  const b = await bridge();
  const alice = await browserOf(b);
  const location = await alice.mint('dev-readonly');
  const html = (await alice.page(location).expect(200)).text;
  expect(html).toContain(`name="return_to" value="${location}"`);
  const switched = await alice.browser.post('/lang').type('form').send({ lang: 'zh-CN', return_to: location }).expect(303);
  expect(switched.headers.location).toBe(location);
  const zh = (await alice.page(location).expect(200)).text;
  expect(zh).toContain('<html lang="zh-CN">');
  expect(zh).toMatch(/(1 小时|59 分钟)后过期。/);
  expect(zh).toContain('--language zh');
  expect(keyIdOf(zh)).toBe(keyIdOf(html));
  expect(b.audits()).toHaveLength(1);
});
