import * as $Sts from '@alicloud/sts20150401';
import { DEV, PROD, rolePair, roleArn, samlProviderArn, sdkClient, startHarness, type Harness } from '../../helpers/emulator-harness.js';

/** Console sign-in: GetSigninToken / Login, role-based SSO with its role chooser, the console page. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function stsCredentials(policy?: string) {
  const res = await sdkClient(h.url).assumeRoleWithSAML(
    new $Sts.AssumeRoleWithSAMLRequest({
      roleArn: roleArn(DEV, 'saml-admin'),
      SAMLProviderArn: samlProviderArn(DEV),
      SAMLAssertion: h.saml([rolePair(DEV, 'saml-admin')]),
      policy,
    }),
  );
  return res.body!.credentials!;
}

const federation = (params: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${h.url}/federation?${new URLSearchParams(params)}`, { redirect: 'manual', headers });

async function signinToken(c: $Sts.AssumeRoleWithSAMLResponseBodyCredentials): Promise<string> {
  const res = await federation({
    Action: 'GetSigninToken',
    AccessKeyId: c.accessKeyId!,
    AccessKeySecret: c.accessKeySecret!,
    SecurityToken: c.securityToken!,
    TicketType: 'mini',
  });
  const body = (await res.json()) as { RequestId: string; SigninToken: string };
  expect(res.status).toBe(200);
  expect(Object.keys(body).sort()).toEqual(['RequestId', 'SigninToken']);
  return body.SigninToken;
}

const login = (token: string, destination = `${h.url}/console/ecs`) =>
  federation({ Action: 'Login', LoginUrl: 'http://127.0.0.1:8080/login', Destination: destination, SigninToken: token });

const cookieOf = (res: Response, name: string) => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
const cookiePair = (header: string | undefined) => header!.split(';')[0]!;
/** Text of the element with this data-testid (pages put each value in its own element). */
const testId = (page: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(page)?.[1];

async function errorOf(res: Response) {
  return { status: res.status, ...((await res.json()) as { Code: string; Message: string }) };
}

describe('GET /federation', () => {
  it('GetSigninToken then Login: 302 to the Destination with a console session', async () => {
    const c = await stsCredentials(JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:Get*', Resource: '*' }] }));
    const res = await login(await signinToken(c));
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${h.url}/console/ecs`);
    const cookie = cookieOf(res, 'emulator_console');
    expect(cookie).toMatch(/httponly/i);
    expect(cookie).toMatch(/samesite=lax/i);

    const page = await (await fetch(`${h.url}/console/ecs`, { headers: { cookie: cookiePair(cookie) } })).text();
    expect(testId(page, 'console-account-id')).toBe(DEV);
    expect(testId(page, 'console-account-alias')).toBe('dev');
    expect(testId(page, 'console-role-arn')).toBe(roleArn(DEV, 'saml-admin'));
    expect(testId(page, 'console-session-name')).toBe('alice@example.com');
    expect(testId(page, 'console-assumed-role-arn')).toBe(`acs:ram::${DEV}:assumed-role/saml-admin/alice@example.com`);
    expect(testId(page, 'console-expiration')).toBe(c.expiration);
    expect(testId(page, 'console-path')).toBe('/console/ecs');
    const policy = JSON.parse(testId(page, 'console-effective-policy')!.replace(/&quot;/g, '"'));
    expect(policy.Statement).toEqual([{ Effect: 'Allow', Action: ['oss:Get*'], Resource: ['*'] }]);
    expect(page).not.toContain(c.accessKeySecret);
    expect(page).not.toContain(c.securityToken);
    expect(page).not.toContain('console-expired');

    const lifetime = Date.parse(c.expiration!) - h.clock.now();
    h.clock.advance(lifetime);
    try {
      const later = await (await fetch(`${h.url}/console`, { headers: { cookie: cookiePair(cookie) } })).text();
      expect(later).toContain('data-testid="console-expired"');
      expect(later).toContain('data-testid="console-login-url" href="http://127.0.0.1:8080/login"');
    } finally {
      h.clock.advance(-lifetime);
    }
  });

  it('a SigninToken is single-use', async () => {
    const token = await signinToken(await stsCredentials());
    expect((await login(token)).status).toBe(302);
    expect(await errorOf(await login(token))).toMatchObject({ status: 401, Code: 'InvalidCredential.AuthenticateFail' });
  });

  it('a SigninToken lives 30 seconds', async () => {
    const c = await stsCredentials();
    const early = await signinToken(c);
    h.clock.advance(29_999);
    expect((await login(early)).status).toBe(302);
    const late = await signinToken(c);
    h.clock.advance(30_000);
    expect(await errorOf(await login(late))).toMatchObject({ status: 401, Code: 'InvalidCredential.AuthenticateFail' });
  });

  it('refuses a Destination outside the emulator console, as JSON or as a page', async () => {
    const token = await signinToken(await stsCredentials());
    expect(await errorOf(await login(token, 'https://evil.example/console'))).toMatchObject({
      status: 400,
      Code: 'InvalidParameter.Destination',
    });
    const page = await federation(
      { Action: 'Login', LoginUrl: 'http://x/', Destination: `${h.url}/elsewhere`, SigninToken: token },
      { accept: 'text/html' },
    );
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(testId(await page.text(), 'error-code')).toBe('InvalidParameter.Destination');
  });

  it('refuses wrong credentials, missing parameters and unknown actions', async () => {
    const c = await stsCredentials();
    const base = {
      Action: 'GetSigninToken',
      AccessKeyId: c.accessKeyId!,
      AccessKeySecret: c.accessKeySecret!,
      SecurityToken: c.securityToken!,
      TicketType: 'mini',
    };
    expect(await errorOf(await federation({ ...base, AccessKeySecret: 'wrong' }))).toMatchObject({
      status: 401,
      Code: 'InvalidCredential.AuthenticateFail',
    });
    expect(await errorOf(await federation({ ...base, SecurityToken: '' }))).toMatchObject({
      status: 400,
      Code: 'MissingParameter.SecurityToken',
    });
    expect(await errorOf(await federation({ ...base, TicketType: 'normal' }))).toMatchObject({
      status: 400,
      Code: 'InvalidParameter.TicketType',
    });
    expect(await errorOf(await federation({ Action: 'getSigninToken' }))).toMatchObject({ status: 400, Code: 'InvalidAction' });
    expect(await errorOf(await federation({ Action: 'Login', Destination: `${h.url}/console`, SigninToken: 'x' }))).toMatchObject({
      status: 400,
      Code: 'MissingParameter.LoginUrl',
    });
  });
});

describe('POST /saml-role/sso', () => {
  const post = (path: string, form: Record<string, string>, cookie?: string) =>
    fetch(`${h.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(form),
    });
  const consoleAs = async (res: Response) =>
    (await fetch(`${h.url}/console`, { headers: { cookie: cookiePair(cookieOf(res, 'emulator_console')) } })).text();

  it('signs straight in when the assertion carries one role, honouring RelayState', async () => {
    const res = await post('/saml-role/sso', { SAMLResponse: h.saml([rolePair(DEV, 'saml-admin')]), RelayState: `${h.url}/console/oss` });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${h.url}/console/oss`);
    const page = await consoleAs(res);
    expect(testId(page, 'console-role-arn')).toBe(roleArn(DEV, 'saml-admin'));
    expect(testId(page, 'console-origin')).toBe('RoleSSO');
  });

  it('shows a chooser for two roles, then signs in as the chosen one', async () => {
    const res = await post('/saml-role/sso', { SAMLResponse: h.saml([rolePair(DEV, 'saml-admin'), rolePair(PROD, 'prod-ops')]) });
    expect(res.status).toBe(200);
    const chooser = await res.text();
    expect(chooser.match(/data-testid="role-choice"/g)).toHaveLength(2);
    expect(chooser).toContain('prod (5555666677778888)');
    const choiceCookie = cookiePair(cookieOf(res, 'emulator_role_choice'));

    expect(
      testId(await (await post('/saml-role/sso/choose', { role: rolePair(PROD, 'saml-admin') }, choiceCookie)).text(), 'error-code'),
    ).toBe('InvalidParameter.role');
    // A pending choice is spent by any attempt, the refused one above included.
    const spent = await post('/saml-role/sso/choose', { role: rolePair(PROD, 'prod-ops') }, choiceCookie);
    expect([spent.status, testId(await spent.text(), 'error-code')]).toEqual([401, 'AuthenticationFail.SAMLAssertion.Expired']);

    const again = await post('/saml-role/sso', { SAMLResponse: h.saml([rolePair(DEV, 'saml-admin'), rolePair(PROD, 'prod-ops')]) });
    const picked = await post(
      '/saml-role/sso/choose',
      { role: rolePair(PROD, 'prod-ops') },
      cookiePair(cookieOf(again, 'emulator_role_choice')),
    );
    expect(picked.status).toBe(302);
    const page = await consoleAs(picked);
    expect(testId(page, 'console-account-alias')).toBe('prod');
    expect(testId(page, 'console-role-arn')).toBe(roleArn(PROD, 'prod-ops'));
  });

  it('refuses a Response without Destination, signed or not, as AssumeRoleWithSAML does', async () => {
    for (const signResponse of [false, true]) {
      const res = await post('/saml-role/sso', {
        SAMLResponse: h.saml([rolePair(DEV, 'saml-admin')], { destination: null, signResponse }),
      });
      expect([res.status, testId(await res.text(), 'error-code')]).toEqual([401, 'AuthenticationFail.SAMLAssertion.Invalid']);
      expect(h.lastReason()).toContain('Response has no Destination');
      expect(res.headers.get('set-cookie') ?? '').not.toContain('emulator_console');
    }
  });

  it('refuses a replayed Response, a foreign RelayState and a choice without its cookie', async () => {
    const response = h.saml([rolePair(DEV, 'saml-admin')]);
    expect((await post('/saml-role/sso', { SAMLResponse: response })).status).toBe(302);
    expect(testId(await (await post('/saml-role/sso', { SAMLResponse: response })).text(), 'error-code')).toBe(
      'AuthenticationFail.SAMLAssertion.Invalid',
    );
    const foreign = await post('/saml-role/sso', {
      SAMLResponse: h.saml([rolePair(DEV, 'saml-admin')]),
      RelayState: 'https://evil.example/',
    });
    expect([foreign.status, testId(await foreign.text(), 'error-code')]).toEqual([400, 'InvalidParameter.RelayState']);
    const orphan = await post('/saml-role/sso/choose', { role: rolePair(PROD, 'prod-ops') });
    expect([orphan.status, testId(await orphan.text(), 'error-code')]).toEqual([401, 'AuthenticationFail.SAMLAssertion.Expired']);
  });
});

describe('GET /console', () => {
  it('without a session says so', async () => {
    const res = await fetch(`${h.url}/console`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('data-testid="console-signed-out"');
  });
});
