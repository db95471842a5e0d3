import { ALICE_DEV_OPS, fakeOpForFile } from '../../helpers/fake-op.js';
import { loginThroughFakeOp, testBridge } from '../../helpers/bridge.js';
import { signIn } from '../../helpers/web.js';

/**
 * The web pages speak English or Simplified Chinese: from a remembered choice (the cookie set by the
 * switcher), else Accept-Language; the page says so (`lang`, Content-Language, Vary), and error
 * pages and JSON error bodies follow it with their code unchanged.
 */
const fake = fakeOpForFile();
const ALICE = ALICE_DEV_OPS;

async function signedIn(acceptLanguage?: string) {
  const bridge = await testBridge(fake.op);
  const browser = bridge.agent();
  if (acceptLanguage) browser.set('Accept-Language', acceptLanguage);
  await signIn(browser, fake.op, ALICE);
  return { ...bridge, browser };
}

const h1 = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1];

describe('language of the pages', () => {
  test('English by default: lang, Content-Language and Vary say so', async () => {
    const res = await (await testBridge(fake.op)).agent().get('/signed-out').expect(200);
    expect(res.text).toContain('<html lang="en">');
    expect(h1(res.text)).toBe('You are signed out of rambridge');
    expect(res.headers['content-language']).toBe('en');
    expect(res.headers.vary).toMatch(/Accept-Language/);
  });

  test.each([
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN,zh;q=0.9', 'zh-CN'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['fr;q=1, zh-SG;q=0.5', 'zh-CN'],
    ['zh-TW', 'en'],
    ['zh-HK,zh-Hant;q=0.9', 'en'],
  ])('Accept-Language %s gives %s', async (header, lang) => {
    const res = await (await testBridge(fake.op)).agent().get('/signed-out').set('Accept-Language', header).expect(200);
    expect(res.text).toContain(`<html lang="${lang}">`);
    expect(res.headers['content-language']).toBe(lang);
  });

  test('the role picker in Chinese: headings, labels, durations, grants; attributes unchanged', async () => {
    const { browser } = await signedIn('zh-CN,zh;q=0.9');
    const page = await browser.get('/roles').expect(200);
    expect(page.text).toContain('<html lang="zh-CN">');
    expect(h1(page.text)).toBe('你的阿里云角色');
    expect(page.text).toContain('<title>你的角色 · rambridge</title>');
    expect(page.text).toContain('授权来源：developers（组 rambridge-dev）');
    expect(page.text).toContain('最长 1 小时');
    expect(page.text).toContain('>30 分钟</option>');
    expect(page.text).toContain('通过 OIDC');
    expect(page.text).toContain('退出登录');
    expect(page.text).toContain('formaction="/roles/console" data-testid="open-console">打开控制台</button>');
    expect(page.text).toContain('data-testid="get-credentials">获取 CLI 凭证</button>');
    expect(page.headers['content-language']).toBe('zh-CN');
  });

  test('the device page and the no-roles page in Chinese', async () => {
    const { browser } = await signedIn('zh-CN');
    const device = await browser.get('/device?user_code=BCDF-GHJK').expect(200);
    expect(h1(device.text)).toBe('登录设备');
    expect(device.text).toContain('请输入运行 <code>rambridge login</code> 后终端显示的代码。');
    expect(device.text).toContain('<input type="hidden" name="return_to" value="/device?user_code=BCDF-GHJK">');

    const bridge = await testBridge(fake.op);
    const mallory = bridge.agent().set('Accept-Language', 'zh-CN');
    fake.op.user = { ...ALICE, sub: 'mallory-sub', email: 'mallory@example.com', groups: ['marketing'] };
    await loginThroughFakeOp(mallory, fake.op).then((r) => expect(r.status).toBe(302));
    const none = await mallory.get('/roles').expect(403);
    expect(h1(none.text)).toBe('你还没有任何阿里云角色');
    expect(none.text).toContain('你已以 <strong>mallory@example.com</strong> 身份登录，但你所在的组都没有授予任何角色。');
  });

  test('the switcher remembers a choice over Accept-Language, and comes back to the page', async () => {
    const { browser } = await signedIn('en');
    const english = await browser.get('/roles').expect(200);
    expect(english.text).toContain('<input type="hidden" name="return_to" value="/roles">');
    expect(english.text).toContain('data-testid="lang-zh-CN">简体中文</button>');

    const switched = await browser.post('/lang').type('form').send({ lang: 'zh-CN', return_to: '/roles' }).expect(303);
    expect(switched.headers.location).toBe('/roles');
    const cookie = (switched.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('rambridge_lang='));
    expect(cookie).toMatch(/^rambridge_lang=zh-CN; path=\/; expires=[^;]+; samesite=lax; httponly$/);

    expect(h1((await browser.get('/roles').expect(200)).text)).toBe('你的阿里云角色');
    await browser.post('/lang').type('form').send({ lang: 'en', return_to: '/roles' }).expect(303);
    expect(h1((await browser.get('/roles').expect(200)).text)).toBe('Your Alibaba Cloud roles');
  });

  test('remembered per user: a choice made signed in follows the user to another browser, which may choose again', async () => {
    const bridge = await testBridge(fake.op);
    fake.op.user = ALICE;
    const laptop = bridge.agent().set('Accept-Language', 'en');
    await loginThroughFakeOp(laptop, fake.op).then((r) => expect(r.status).toBe(302));
    await laptop.post('/lang').type('form').send({ lang: 'zh-CN', return_to: '/roles' }).expect(303);

    // A new browser that never chose: the sign-in brings the user's language with it.
    const desktop = bridge.agent().set('Accept-Language', 'en');
    const signIn = await loginThroughFakeOp(desktop, fake.op);
    expect((signIn.headers['set-cookie'] as unknown as string[]).some((c) => c.startsWith('rambridge_lang=zh-CN;'))).toBe(true);
    expect(h1((await desktop.get('/roles').expect(200)).text)).toBe('你的阿里云角色');

    // A browser that chose English itself keeps English at sign-in.
    const kiosk = bridge.agent().set('Accept-Language', 'zh-CN');
    await kiosk.post('/lang').type('form').send({ lang: 'en', return_to: '/login' }).expect(303);
    await loginThroughFakeOp(kiosk, fake.op).then((r) => expect(r.status).toBe(302));
    expect(h1((await kiosk.get('/roles').expect(200)).text)).toBe('Your Alibaba Cloud roles');

    // Someone else is not affected.
    fake.op.user = { ...ALICE, sub: 'bob-sub', email: 'bob@example.com' };
    const other = bridge.agent().set('Accept-Language', 'en');
    await loginThroughFakeOp(other, fake.op);
    expect(h1((await other.get('/roles').expect(200)).text)).toBe('Your Alibaba Cloud roles');
  });

  test('a cookie naming no language we speak is ignored', async () => {
    const res = await (
      await testBridge(fake.op)
    )
      .agent()
      .get('/signed-out')
      .set('Cookie', 'rambridge_lang=<script>')
      .set('Accept-Language', 'zh-CN')
      .expect(200);
    expect(res.text).toContain('<html lang="zh-CN">');
    expect(res.text).not.toContain('<script>');
  });

  test('the switcher returns only to our own pages, refuses other sites and unknown languages', async () => {
    const agent = (await testBridge(fake.op)).agent();
    for (const evil of ['//evil.example', 'https://evil.example/', '/\\evil.example', '/roles/../metrics', '/metrics']) {
      const res = await agent.post('/lang').type('form').send({ lang: 'en', return_to: evil }).expect(303);
      expect(res.headers.location).toBe('/roles');
    }
    const ok = await agent.post('/lang').type('form').send({ lang: 'en', return_to: '/signed-out' }).expect(303);
    expect(ok.headers.location).toBe('/signed-out');
    await agent.post('/lang').set('Sec-Fetch-Site', 'cross-site').type('form').send({ lang: 'zh-CN', return_to: '/roles' }).expect(403);
    // The cookie just set (en) wins over Accept-Language; a fresh browser has none.
    const fresh = (await testBridge(fake.op)).agent();
    const unknown = await fresh.post('/lang').set('Accept-Language', 'zh-CN').type('form').send({ lang: 'xx' }).expect(400);
    expect(unknown.body).toMatchObject({ code: 'ERR_BAD_REQUEST', error_description: '请选择所提供的语言之一。' });
  });

  test('error pages and JSON error bodies follow the language; the code does not change', async () => {
    const { browser } = await signedIn('zh-CN');
    const denied = await browser.get('/roles/not-a-role').set('Accept', 'text/html').expect(403);
    expect(denied.text).toContain('<html lang="zh-CN">');
    expect(h1(denied.text)).toBe('无权访问');
    expect(denied.text).toContain('<p data-testid="error-message">你没有这个角色。</p>');
    expect(denied.text).toContain('请从角色页面中选择一个角色，或向管理员申请访问权限。');
    expect(denied.text).toContain('data-testid="error-code">ERR_ROLE_NOT_GRANTED</code>');

    const agent = (await testBridge(fake.op)).agent();
    const zh = await agent.get('/api/whoami').set('Accept-Language', 'zh-CN').expect(401);
    expect(zh.body).toMatchObject({
      code: 'ERR_TOKEN_MISSING',
      error_description: '此 API 需要访问令牌（Authorization: Bearer …）。',
      hint: '请运行 `rambridge login`。',
    });
    expect(zh.headers['content-language']).toBe('zh-CN');
    // RFC 6749 §5.2: an OAuth error_description is ASCII, so it is English there; `message` and the
    // hint are in the request's language, for the CLI to show.
    const oauth = await agent.post('/oauth/device_authorization').set('Accept-Language', 'zh-CN').type('form').send({ client_id: 'x' });
    expect(oauth.body).toMatchObject({ error: 'invalid_client', error_description: 'Unknown client.' });
    expect(oauth.body.error_description).toMatch(/^[\x20-\x7e]+$/);
    expect(oauth.body.message).toMatch(/[\u4e00-\u9fff]/);
    const oauthEn = await agent.post('/oauth/device_authorization').type('form').send({ client_id: 'x' });
    expect(oauthEn.body.error_description).toBe('Unknown client.');
    expect(oauthEn.body).not.toHaveProperty('message');
    const en = await agent.get('/api/whoami').expect(401);
    expect(en.body).toMatchObject({
      code: 'ERR_TOKEN_MISSING',
      error_description: 'This API needs an access token (Authorization: Bearer …).',
      hint: 'Run `rambridge login`.',
    });
  });
});
