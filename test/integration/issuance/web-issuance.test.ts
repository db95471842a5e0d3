import { decodeJwt } from 'jose';
import { createStsClient } from '../../../src/sts/index.js';
import { bridgeWithEmulator } from '../../helpers/bridge.js';
import { ALICE_DEV_OPS, fakeOpForFile } from '../../helpers/fake-op.js';
import { csrfOf, signIn } from '../../helpers/web.js';
import { storedEntries } from '../../unit/device/store-entries.js';

/**
 * Issuance from the browser against the real emulator through the official SDK: both `via` modes,
 * both console modes, chaining, session policies, elevation, and each failure path.
 */
const fake = fakeOpForFile();
const ALICE = ALICE_DEV_OPS;

type Bridge = Awaited<ReturnType<typeof bridgeWithEmulator>>;
let open: Bridge[] = [];
afterEach(async () => {
  await Promise.all(open.map((b) => b.close()));
  open = [];
});

async function signedIn(options: Parameters<typeof bridgeWithEmulator>[1] = {}, user: Record<string, unknown> = ALICE) {
  const bridge = await bridgeWithEmulator(fake.op, options);
  open.push(bridge);
  const browser = await signIn(bridge.agent(), fake.op, { ...ALICE, ...user });
  const csrf = csrfOf((await browser.get('/roles').expect(200)).text);
  const post = (path: string, form: Record<string, string>) =>
    browser
      .post(path)
      .set('Accept', 'text/html')
      .type('form')
      .send({ _csrf: csrf, ...form });
  /** "Get CLI credentials" as a browser does it: the POST mints and answers 303, the GET shows them (or the error page as it came). */
  const mint = async (form: Record<string, string>) => {
    const res = await post('/roles/credentials', form);
    if (res.status !== 303) return res;
    expect(res.headers.location).toMatch(/^\/roles\/credentials\/[A-Za-z0-9_-]{43}$/);
    return browser.get(res.headers.location!).set('Accept', 'text/html').expect(200);
  };
  return { ...bridge, browser, post, mint };
}

function credentialsFrom(html: string) {
  // The page escapes the shell quotes as HTML entities.
  const value = (name: string) => new RegExp(`export ${name}=(?:'|&#39;)([^'&]+)`).exec(html)![1]!;
  return {
    accessKeyId: value('ALIBABA_CLOUD_ACCESS_KEY_ID'),
    accessKeySecret: value('ALIBABA_CLOUD_ACCESS_KEY_SECRET'),
    securityToken: value('ALIBABA_CLOUD_SECURITY_TOKEN'),
  };
}

/** dev-readonly hands the fake OP's own ID token to STS, through a RAM OIDC provider that trusts the OP. */
function passThrough(): Parameters<typeof bridgeWithEmulator>[1] {
  return {
    config: (c) => {
      c.roles.find((r) => r.id === 'dev-readonly')!.oidcPassThrough = { provider: 'corporate' };
      c.roles.find((r) => r.id === 'dev-readonly')!.providerArn = 'acs:ram::1111222233334444:oidc-provider/corporate';
    },
    emulatorConfig: (e) => {
      const dev = e.accounts.find((a) => a.id === '1111222233334444')!;
      dev.oidcProviders.push({ name: 'corporate', issuer: fake.op.issuer, clientIds: [fake.op.clientId], issuanceLimitHours: 1 });
      dev.roles
        .find((r) => r.name === 'rambridge-dev-readonly')!
        .trustPolicy.Statement.push({
          Effect: 'Allow',
          Action: ['sts:AssumeRole'],
          Principal: { Federated: ['acs:ram::1111222233334444:oidc-provider/corporate'] },
          Condition: { StringEquals: { 'oidc:iss': [fake.op.issuer], 'oidc:aud': [fake.op.clientId] } },
        } as never);
    },
  };
}

describe('web credentials', () => {
  test.each([
    ['dev-admin', 'saml', 'AssumeRoleWithSAML'],
    ['dev-readonly', 'oidc', 'AssumeRoleWithOIDC'],
  ])('%s (via %s): working credentials on a no-store page, one audit record without secrets', async (role, _via, origin) => {
    const b = await signedIn();
    const res = await b.mint({ role, duration: '900' });
    expect(res.headers['cache-control']).toBe('no-store');
    const creds = credentialsFrom(res.text);
    const sts = createStsClient({ endpoint: new URL(b.emulatorUrl).host, protocol: 'http' });
    const who = await sts.getCallerIdentity(creds);
    expect(who.arn).toContain(`/${b.config.roles.find((r) => r.id === role)!.roleName}/`);
    const debug = await (await fetch(`${b.emulatorUrl}/debug/session?AccessKeyId=${creds.accessKeyId}`)).json();
    expect(debug).toMatchObject({ Origin: origin, RoleSessionName: expect.stringMatching(/^alice@example\.com-[\w-]{11}$/) });

    const audits = b.audits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      event: 'issuance',
      outcome: 'issued',
      channel: 'web-credentials',
      user: { subject: 'alice-sub', email: 'alice@example.com' },
      groups: ['rambridge-dev', 'rambridge-ops'],
      grants: ['developers'],
      roleArn: b.config.roles.find((r) => r.id === role)!.arn,
      accessKeyId: creds.accessKeyId,
      stsRequestId: expect.any(String),
      clientIp: expect.any(String),
    });
    const logs = b.logLines.join('\n');
    expect(logs).not.toContain(creds.accessKeySecret);
    expect(logs).not.toContain(creds.securityToken);
  });
});

describe('a plus-addressed user (a+b@example.com)', () => {
  test.each([
    ['dev-admin', 'AssumeRoleWithSAML', /^a\+b@example\.com-[\w-]{11}$/],
    ['dev-readonly', 'AssumeRoleWithOIDC', /^a_b@example\.com-[\w-]{11}$/],
    ['prod-auditor', 'AssumeRole', /^a_b@example\.com-[\w-]{11}$/],
  ])("%s: %s accepts the session name, which keeps only that API's characters", async (role, origin, sessionName) => {
    const b = await signedIn({}, { email: 'a+b@example.com' });
    const res = await b.mint({ role, duration: '900' });
    expect(/data-code="([A-Z_]+)"|data-testid="error-code">([A-Z_]+)/.exec(res.text)).toBeNull();
    expect(res.status).toBe(200);
    const creds = credentialsFrom(res.text);
    const debug = (await (await fetch(`${b.emulatorUrl}/debug/session?AccessKeyId=${creds.accessKeyId}`)).json()) as Record<
      string,
      unknown
    >;
    expect(debug).toMatchObject({ Origin: origin, RoleSessionName: expect.stringMatching(sessionName) });
    expect(b.audits()[0]).toMatchObject({ outcome: 'issued', roleId: role, roleSessionName: debug.RoleSessionName });
  });
});

describe('ID tokens minted for AssumeRoleWithOIDC', () => {
  /** Each OIDC role's own `aud`, registered as a client id and required by that role's trust policy. */
  const AUDIENCES: Record<string, string> = {
    'rambridge-dev-readonly': 'rambridge-dev-readonly',
    'rambridge-prod-readonly': 'rambridge-prod-readonly',
  };

  test('live a minute and, with per-role audiences, are refused by every other role', async () => {
    const b = await signedIn({
      config: (c) => {
        for (const role of c.roles) role.oidcAudience = AUDIENCES[role.roleName];
      },
      emulatorConfig: (e) => {
        for (const account of e.accounts) {
          for (const provider of account.oidcProviders) provider.clientIds.push(...Object.values(AUDIENCES));
          for (const role of account.roles) {
            const equals = role.trustPolicy.Statement[0]!.Condition?.StringEquals;
            if (AUDIENCES[role.name] && equals) equals['oidc:aud'] = [AUDIENCES[role.name]!];
          }
        }
      },
    });
    // The role's own token works end to end.
    const res = await b.mint({ role: 'dev-readonly', duration: '900' });
    expect(res.status).toBe(200);
    // A token minted for prod-readonly (same bridge, same user) presented for dev-readonly: refused.
    const [dev, prod] = ['dev-readonly', 'prod-readonly'].map((id) => b.config.roles.find((r) => r.id === id)!);
    const alice = { idp: 'demo', issuer: fake.op.issuer, subject: 'alice-sub', groups: [], amr: ['pwd'] };
    const token = await b.issuer.idToken(alice, prod!, b.clock.now());
    const claims = decodeJwt(token);
    expect(claims.exp! - claims.iat!).toBe(60);
    const sts = createStsClient({ endpoint: new URL(b.emulatorUrl).host, protocol: 'http' });
    const stolen = {
      roleArn: dev!.arn,
      oidcProviderArn: dev!.providerArn!,
      oidcToken: token,
      roleSessionName: 'replay',
      durationSeconds: 900,
    };
    await expect(sts.assumeRoleWithOidc(stolen)).rejects.toMatchObject({ code: 'ERR_STS_DENIED' });
  });
});

describe('console sign-in', () => {
  test('federation: a 302 to Login with a single-use sign-in token and no credentials in the URL, landing in the console', async () => {
    const b = await signedIn();
    const res = await b.post('/roles/console', { role: 'dev-readonly', duration: '3600' }).expect(302);
    const location = new URL(res.headers.location!);
    expect(location.origin + location.pathname).toBe(`${b.emulatorUrl}/federation`);
    expect(location.searchParams.get('Action')).toBe('Login');
    expect(location.searchParams.get('Destination')).toBe(`${b.emulatorUrl}/console`);
    expect(location.searchParams.get('LoginUrl')).toBe(`${b.publicUrl}/roles/dev-readonly`);
    expect(location.searchParams.get('SigninToken')).toBeTruthy();
    expect(res.headers.location).not.toMatch(/AccessKeySecret|SecurityToken/);
    const login = await fetch(location, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toBe(`${b.emulatorUrl}/console`);
    // The sign-in token works once.
    expect((await fetch(location, { redirect: 'manual' })).status).not.toBe(302);
    expect(b.audits()[0]).toMatchObject({ channel: 'web-console', delivery: 'sts' });
  });

  test('saml-post: an auto-submitting form to the role-SSO endpoint, allowed by the CSP', async () => {
    const b = await signedIn();
    const res = await b.post('/roles/console', { role: 'prod-ops', duration: '900' }).expect(200);
    expect(res.text).toContain(`action="${b.emulatorUrl}/saml-role/sso"`);
    expect(res.headers['content-security-policy']).toContain(`form-action 'self' ${b.emulatorUrl}`);
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(res.text)![1]!;
    const sso = await fetch(`${b.emulatorUrl}/saml-role/sso`, {
      method: 'POST',
      body: new URLSearchParams({ SAMLResponse: samlResponse }),
      redirect: 'manual',
    });
    expect(sso.status).toBe(302);
    expect(b.audits()[0]).toMatchObject({ channel: 'web-console', delivery: 'saml-post', roleId: 'prod-ops' });
  });

  test('saml-post: the CSP also allows the console origins role SSO redirects to (form-action governs redirects after a post)', async () => {
    // As in production, the console is on another origin than the sign-in service.
    const b = await signedIn({
      config: (c) => {
        c.alibaba.consoleUrl = 'https://home.console.alibabacloud.com';
        c.alibaba.consoleDestinations = [{ label: 'ECS', url: 'https://ecs.console.alibabacloud.com/' }];
      },
    });
    const res = await b.post('/roles/console', { role: 'prod-ops', duration: '900' }).expect(200);
    expect(res.text).toContain('name="RelayState" value="https://home.console.alibabacloud.com"');
    const formAction = /form-action ([^;]+)/.exec(res.headers['content-security-policy']!)![1]!.split(' ');
    expect(formAction).toEqual(
      expect.arrayContaining(["'self'", b.emulatorUrl, 'https://home.console.alibabacloud.com', 'https://ecs.console.alibabacloud.com']),
    );
    expect(formAction).not.toContain('*');
  });

  test('a destination on the allow-list is used; anything else is refused before any STS call', async () => {
    const b = await signedIn({
      config: (c) => {
        c.alibaba.consoleDestinations = [{ label: 'ECS', url: `${c.alibaba.consoleUrl}/ecs/` }];
      },
    });
    const ok = await b
      .post('/roles/console', { role: 'dev-readonly', duration: '900', destination: `${b.emulatorUrl}/console/ecs/instances` })
      .expect(302);
    expect(new URL(ok.headers.location!).searchParams.get('Destination')).toBe(`${b.emulatorUrl}/console/ecs/instances`);
    for (const destination of [
      'https://evil.example.com/',
      `${b.emulatorUrl}/consolex`,
      `${b.emulatorUrl}/console/ecs/../../federation`,
      `http://user@127.0.0.1/console`,
    ]) {
      const res = await b.post('/roles/console', { role: 'dev-readonly', duration: '900', destination }).expect(400);
      expect(res.text).toContain('ERR_DESTINATION_NOT_ALLOWED');
    }
    expect(b.audits()).toHaveLength(1);
    // A deep link may pre-select an allowed destination, never another one.
    const page = await b.browser
      .get(`/roles/dev-readonly?destination=${encodeURIComponent(`${b.emulatorUrl}/console/ecs/instances`)}`)
      .expect(200);
    expect(page.text).toContain(`<option value="${b.emulatorUrl}/console/ecs/instances" selected>`);
    await b.browser
      .get(`/roles/dev-readonly?destination=${encodeURIComponent('https://evil.example.com/')}`)
      .set('Accept', 'text/html')
      .expect(400);
  });
});

describe('least privilege, chaining and elevation', () => {
  test("a role's session policy is passed on every assumption: effective permissions are the intersection", async () => {
    const b = await signedIn({
      config: (c) => {
        c.roles.find((r) => r.id === 'dev-admin')!.sessionPolicy = {
          Version: '1',
          Statement: [{ Effect: 'Allow', Action: ['oss:Get*'], Resource: '*' }],
        };
      },
    });
    const creds = credentialsFrom((await b.mint({ role: 'dev-admin', duration: '900' })).text);
    const check = async (action: string) =>
      (
        (await (await fetch(`${b.emulatorUrl}/debug/session?AccessKeyId=${creds.accessKeyId}&Action=${action}`)).json()) as {
          Check: { Allowed: boolean };
        }
      ).Check.Allowed;
    await expect(check('oss:GetObject')).resolves.toBe(true);
    await expect(check('ecs:DeleteInstance')).resolves.toBe(false);
  });

  test('chaining: the bridge assumes the source role, then AssumeRole into the target, keeping the session name', async () => {
    const b = await signedIn();
    const res = await b.mint({ role: 'prod-auditor', duration: '900' });
    expect(res.text).not.toContain('data-testid="error"');
    expect(res.status).toBe(200);
    const creds = credentialsFrom(res.text);
    const debug = await (await fetch(`${b.emulatorUrl}/debug/session?AccessKeyId=${creds.accessKeyId}`)).json();
    expect(debug).toMatchObject({
      Origin: 'AssumeRole',
      RoleArn: 'acs:ram::5555666677778888:role/rambridge-prod-auditor',
      RoleSessionName: expect.stringMatching(/^alice@example\.com-/),
    });
    expect(b.audits()[0]).toMatchObject({ roleId: 'prod-auditor', chainedFrom: 'dev-readonly', outcome: 'issued' });
  });

  test("OIDC pass-through (opt-in): the corporate IdP's own ID token goes to AssumeRoleWithOIDC", async () => {
    const b = await signedIn(passThrough());
    const creds = credentialsFrom((await b.mint({ role: 'dev-readonly', duration: '900' })).text);
    const debug = await (await fetch(`${b.emulatorUrl}/debug/session?AccessKeyId=${creds.accessKeyId}`)).json();
    expect(debug).toMatchObject({ Origin: 'AssumeRoleWithOIDC', RoleArn: 'acs:ram::1111222233334444:role/rambridge-dev-readonly' });
    expect(b.logLines.join('')).not.toMatch(/eyJ[A-Za-z0-9_-]{20,}\./);
  });

  test("OIDC pass-through: an upstream ID token expired, or expiring within 30 s, by the bridge's clock is refused before STS as ERR_NOT_SIGNED_IN (sign in again), never sent to fail as ERR_STS_EXPIRED", async () => {
    const b = await signedIn(passThrough());
    await b.mint({ role: 'dev-readonly', duration: '900' });
    expect(b.audits().at(-1)).toMatchObject({ outcome: 'issued', roleId: 'dev-readonly' });

    // The fake OP's ID tokens live 300 s: 20 s are left, which STS (on the real clock) would still accept.
    b.clock.advance(280_000);
    const res = await b.browser
      .post('/roles/credentials')
      .set('Accept', 'application/json')
      .type('form')
      .send({
        _csrf: csrfOf((await b.browser.get('/roles').expect(200)).text),
        role: 'dev-readonly',
        duration: '900',
      });
    expect(res.status).toBe(401);
    expect(b.audits().at(-1)).toMatchObject({ outcome: 'refused', roleId: 'dev-readonly', errorCode: 'ERR_NOT_SIGNED_IN' });
    expect(b.audits().at(-1)!.stsRequestId).toBeUndefined();

    // Long expired (the browser session outlives the IdP's token): the same.
    b.clock.advance(20 * 60_000);
    await b.post('/roles/credentials', { role: 'dev-readonly', duration: '900' });
    expect(b.audits().at(-1)).toMatchObject({ outcome: 'refused', errorCode: 'ERR_NOT_SIGNED_IN' });
  });

  test('credentials and consoles never outlive the browser session: the duration is cut to what is left of it, under 15 min left is a new sign-in', async () => {
    const b = await signedIn({ config: (c) => (c.server.sessionMaxAgeSeconds = 1500) });
    await b.mint({ role: 'dev-admin', duration: '3600' });
    await b.post('/roles/console', { role: 'dev-readonly', duration: '3600' }).expect(302);
    // STS (the emulator) counts the duration from its own clock, the real one, while the bridge's
    // stands still: the expiration is judged against the real clock, once both were issued.
    const issuedBy = Date.now();
    const [credentials, consoleSession] = b.audits();
    for (const record of [credentials, consoleSession]) {
      expect(record).toMatchObject({ outcome: 'issued', durationSeconds: 1500, requestedDurationSeconds: 3600 });
      expect(Date.parse(String(record!.expiration))).toBeLessThanOrEqual(issuedBy + 1500_000);
    }
    // The duration asked for stays the user’s last one, not the one cut short (the picker offers
    // only what is left of this session, but a later one pre-selects 3600 again).
    const prefs = storedEntries(b.store).filter(([key]) => key.startsWith('prefs:'));
    expect(prefs).toHaveLength(1);
    expect((JSON.parse(prefs[0]![1]) as { durations: unknown[] }).durations).toEqual([
      { roleId: 'dev-readonly', seconds: 3600 },
      { roleId: 'dev-admin', seconds: 3600 },
    ]);

    b.clock.advance(601_000); // 14 min 59 s left
    for (const path of ['/roles/credentials', '/roles/console']) {
      const refused = await b.post(path, { role: 'dev-admin', duration: '900' }).expect(401);
      expect(refused.text).toContain('ERR_NOT_SIGNED_IN');
      expect(refused.text).toContain('Your rambridge session ends in 14 min: too soon for credentials');
    }
    expect(b.audits()).toHaveLength(2);
  });

  test('an elevated role needs a recent MFA and a justification, caps the duration, and audits the reason', async () => {
    const elevate = (c: import('../../../src/config/index.js').BridgeConfig) => {
      c.roles.find((r) => r.id === 'dev-admin')!.elevated = true;
    };
    const noMfa = await signedIn({ config: elevate });
    const page = await noMfa.browser.get('/roles/dev-admin').expect(200);
    expect(page.text).toContain('data-testid="justification"');
    expect([...page.text.matchAll(/<option value="(\d+)"/g)].map((m) => m[1])).toEqual(['900', '1800', '3600']);
    const refused = await noMfa
      .post('/roles/credentials', { role: 'dev-admin', duration: '900', justification: 'incident INC-42 triage' })
      .expect(403);
    expect(refused.text).toContain('ERR_ELEVATION_MFA_REQUIRED');

    const mfa = await signedIn({ config: elevate }, { amr: ['pwd', 'mfa'] });
    const noReason = await mfa.post('/roles/credentials', { role: 'dev-admin', duration: '900', justification: 'x' }).expect(400);
    expect(noReason.text).toContain('ERR_JUSTIFICATION_REQUIRED');
    await mfa.post('/roles/credentials', { role: 'dev-admin', duration: '7200', justification: 'incident INC-42 triage' }).expect(400);
    await mfa.mint({ role: 'dev-admin', duration: '900', justification: 'incident INC-42 triage' });
    expect(mfa.audits().at(-1)).toMatchObject({ outcome: 'issued', justification: 'incident INC-42 triage' });

    mfa.clock.advance(16 * 60 * 1000);
    await mfa.post('/roles/credentials', { role: 'dev-admin', duration: '900', justification: 'incident INC-42 triage' }).expect(403);
  });

  test('a reason must be one a reader can see: invisible characters do not count, control characters are refused', async () => {
    const elevate = (c: import('../../../src/config/index.js').BridgeConfig) => {
      c.roles.find((r) => r.id === 'dev-admin')!.elevated = true;
    };
    const mfa = await signedIn({ config: elevate }, { amr: ['pwd', 'mfa'] });
    const ask = (justification: string) => mfa.post('/roles/credentials', { role: 'dev-admin', duration: '900', justification });
    for (const unseen of [
      '\u200b'.repeat(12), // zero-width spaces
      '\u00ad'.repeat(12), // soft hyphens
      'ab' + '\u2060'.repeat(12), // word joiners
      'a' + ' '.repeat(12) + 'b', // a run of spaces counts once
      'a' + '\u0301'.repeat(12), // one letter under twelve accents is one character
      '\u2800'.repeat(12), // Braille blanks: symbols that draw nothing
      '\u3164'.repeat(12), // Hangul fillers: letters that draw nothing
      '\u115f\u1160'.repeat(6),
    ]) {
      const refused = await ask(unseen).expect(400);
      expect(refused.text).toContain('ERR_JUSTIFICATION_REQUIRED');
    }
    for (const misleading of ['INC-42 \u001b[2Kall fine', '\u202eton si ti ,tset a si siht', 'INC-42\u2028fix orders']) {
      const refused = await ask(misleading).expect(400);
      expect(refused.text).toContain('plain text, without control characters');
    }
    // Over the cap it is refused as too long before anything reads it character by character.
    const huge = await ask('\u001b'.repeat(600)).expect(400);
    expect(huge.text).toContain('ERR_JUSTIFICATION_TOO_LONG');
    expect(mfa.audits().every((a) => a.outcome !== 'issued')).toBe(true);

    // Ten characters a reader sees pass, in any script; lines and tabs are plain text.
    await mfa.mint({ role: 'dev-admin', duration: '900', justification: '修复订单数据库的故障' });
    await mfa.mint({ role: 'dev-admin', duration: '900', justification: 'ऑर्डर डेटाबेस ठीक करना है' }); // Hindi: letters with vowel signs
    await mfa.mint({ role: 'dev-admin', duration: '900', justification: 'إصلاح قاعدة البيانات' });
    await mfa.mint({ role: 'dev-admin', duration: '900', justification: 'INC-42:\n\tfix orders DB' });
    expect(mfa.audits().at(-1)).toMatchObject({ outcome: 'issued', justification: 'INC-42:\n\tfix orders DB' });
  });

  test('a reason with invisible format characters among visible ones is refused, never stored; joiners that join are writing', async () => {
    const elevate = (c: import('../../../src/config/index.js').BridgeConfig) => {
      c.roles.find((r) => r.id === 'dev-admin')!.elevated = true;
    };
    const mfa = await signedIn({ config: elevate }, { amr: ['pwd', 'mfa'] });
    const ask = (justification: string) => mfa.post('/roles/credentials', { role: 'dev-admin', duration: '900', justification });
    for (const invisible of [
      '\u200b',
      '\u2060',
      '\ufeff',
      '\u00ad',
      '\u3164',
      '\uffa0',
      '\u115f',
      '\u{e0041}\u{e0042}',
      '\u200d',
      '\u200c\u200c',
    ]) {
      const refused = await ask(`INC-42 fix${invisible} orders DB`).expect(400);
      expect(refused.text).toContain('plain text, without control characters');
    }
    expect(mfa.audits().every((a) => a.outcome !== 'issued')).toBe(true);
    // A zero-width non-joiner inside a Persian word, a joiner inside an emoji sequence: drawn, so kept.
    await mfa.mint({ role: 'dev-admin', duration: '900', justification: 'می\u200cخواهم پایگاه داده را درست کنم' });
    await mfa.mint({ role: 'dev-admin', duration: '900', justification: 'INC-42 fix orders \u{1f469}\u200d\u{1f4bb}' });
    expect(mfa.audits().at(-1)).toMatchObject({ outcome: 'issued', justification: 'INC-42 fix orders \u{1f469}\u200d\u{1f4bb}' });
  });
});

describe('failures an employee can understand', () => {
  test('a trust policy that does not allow the bridge: STS code and request id for the admin, a retry link, an audit record', async () => {
    const b = await signedIn({
      config: (c) => {
        // dev-admin trusts only the SAML provider; asking via OIDC is refused by RAM.
        const role = c.roles.find((r) => r.id === 'dev-admin')!;
        Object.assign(role, { via: 'oidc', providerArn: 'acs:ram::1111222233334444:oidc-provider/rambridge' });
      },
    });
    const res = await b.post('/roles/credentials', { role: 'dev-admin', duration: '900' }).expect(403);
    expect(res.text).toContain('ERR_STS_DENIED');
    expect(res.text).toMatch(/Alibaba Cloud STS answered [A-Za-z.]+ \(RequestId [0-9A-F-]+\)/);
    expect(res.text).toContain('href="/roles"');
    expect(b.audits()[0]).toMatchObject({
      outcome: 'refused',
      errorCode: 'ERR_STS_DENIED',
      stsCode: expect.any(String),
      stsRequestId: expect.any(String),
    });
  });

  test('an assertion that is already expired when it arrives (clock skew) → ERR_STS_EXPIRED', async () => {
    // The IdP dates its token on the bridge's clock too: a token from 10 minutes "ahead" is refused at sign-in.
    const bridgeNow = Math.floor((Date.now() - 10 * 60 * 1000) / 1000);
    fake.op.next = { claims: { iat: bridgeNow, auth_time: bridgeNow } };
    const b = await signedIn({ clockOffsetMs: -10 * 60 * 1000 });
    const res = await b.post('/roles/credentials', { role: 'dev-admin', duration: '900' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('ERR_STS_EXPIRED');
  });

  test('STS throttling is retried with backoff, then shown as "try again shortly" with its code', async () => {
    const { createServer } = await import('node:http');
    let calls = 0;
    const throttling = createServer((_req, res) => {
      calls++;
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          RequestId: 'THROTTLED-1',
          HostId: 'sts.aliyuncs.com',
          Code: 'Throttling.User',
          Message: 'Request was denied due to user flow control.',
        }),
      );
    });
    await new Promise<void>((resolve) => throttling.listen(0, '127.0.0.1', resolve));
    try {
      const b = await signedIn({
        config: (c) => {
          c.alibaba.stsEndpoint = `http://127.0.0.1:${(throttling.address() as import('node:net').AddressInfo).port}`;
        },
      });
      const res = await b.post('/roles/credentials', { role: 'dev-readonly', duration: '900' }).expect(429);
      expect(res.text).toContain('ERR_STS_THROTTLED');
      expect(res.text).toContain('Throttling.User (RequestId THROTTLED-1)');
      expect(calls).toBe(3);
    } finally {
      throttling.closeAllConnections();
      throttling.close();
    }
  });

  test('chained: a transport error on AssumeRole puts no intermediate credential in a URL or a log line', async () => {
    const { createServer } = await import('node:http');
    const CANARY = { AccessKeyId: 'STS.CanaryKeyId0001', AccessKeySecret: 'CanarySecret0001', SecurityToken: 'CanaryToken0001' };
    const urls: string[] = [];
    const sts = createServer((req, res) => {
      urls.push(req.url ?? '');
      if (req.headers['x-acs-action'] === 'AssumeRole') {
        expect(req.headers['x-acs-security-token']).toBe(CANARY.SecurityToken);
        req.socket.destroy(); // the transport error: STS never answers
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          RequestId: 'FIRST-HOP',
          Credentials: { ...CANARY, Expiration: new Date(Date.now() + 900_000).toISOString().replace(/\.\d+Z$/, 'Z') },
          AssumedRoleUser: { Arn: 'acs:ram::1111222233334444:assumed-role/rambridge-dev-readonly/a', AssumedRoleId: '1:a' },
          OIDCTokenInfo: { Issuer: 'i', Subject: 's', ClientIds: 'sts.aliyuncs.com' },
        }),
      );
    });
    await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
    try {
      const b = await signedIn({
        config: (c) => {
          c.alibaba.stsEndpoint = `http://127.0.0.1:${(sts.address() as import('node:net').AddressInfo).port}`;
        },
      });
      const res = await b.post('/roles/credentials', { role: 'prod-auditor', duration: '900' }).expect(502);
      expect(res.text).toContain('ERR_STS_UNAVAILABLE');
      expect(urls).toHaveLength(2);
      const everything = [...urls, ...b.logLines, res.text].join('\n');
      for (const secret of [...Object.values(CANARY), 'Signature=']) expect(everything).not.toContain(secret);
      expect(b.logLines.some((l) => l.includes('"ERR_STS_UNAVAILABLE"'))).toBe(true);
    } finally {
      sts.closeAllConnections();
      sts.close();
    }
  });

  test('a role the user no longer holds (config changed since sign-in) is refused before any STS call', async () => {
    const b = await signedIn();
    // Roles are recomputed from the identity on every request; the grant changes after sign-in.
    b.config.grants.find((g) => g.id === 'developers')!.roles = ['dev-readonly'];
    const res = await b.post('/roles/credentials', { role: 'dev-admin', duration: '900' }).expect(403);
    expect(res.text).toContain('ERR_ROLE_NOT_GRANTED');
    expect(b.audits()).toHaveLength(0);
  });

  test('an STS that does not answer in time → ERR_STS_TIMEOUT after one attempt (not retried), nothing issued', async () => {
    const { createServer } = await import('node:http');
    let requests = 0;
    const blackHole = createServer(() => void requests++);
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    try {
      const b = await signedIn({
        config: (c) => {
          c.alibaba.stsEndpoint = `http://127.0.0.1:${(blackHole.address() as import('node:net').AddressInfo).port}`;
          c.alibaba.stsMaxAttempts = 3;
        },
        stsOptions: { readTimeoutMs: 300, connectTimeoutMs: 300 },
      });
      const res = await b.post('/roles/credentials', { role: 'dev-admin', duration: '900' }).expect(504);
      expect(res.text).toContain('ERR_STS_TIMEOUT');
      expect(res.text).toContain('did not answer in time');
      expect(requests).toBe(1);
      expect(b.audits().filter((a) => a.event === 'issued')).toHaveLength(0);
    } finally {
      blackHole.closeAllConnections();
      blackHole.close();
    }
  });
});
