import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { ManualClock } from '../../../src/clock.js';
import { AccessTokens } from '../../../src/device/access-tokens.js';
import type { CliSession } from '../../../src/device/cli-sessions.js';
import { BridgeIssuer } from '../../../src/issuer/index.js';
import { demoConfig } from '../../helpers/config.js';

const T0 = Date.UTC(2026, 0, 1);
const ISSUER = 'http://127.0.0.1:8080';
const SESSION: CliSession = {
  sid: 'sid-1',
  identity: { idp: 'demo', issuer: 'https://idp', subject: 'alice', email: 'alice@example.com', groups: [], amr: ['pwd'] },
  client: { clientId: 'rambridge-cli', ip: '10.0.0.1' },
  createdAt: T0,
  expiresAt: T0 + 12 * 3600_000,
  refreshHash: 'h',
};

async function setup() {
  const config = await demoConfig();
  const issuer = await BridgeIssuer.create(config.issuer!, config.alibaba, ISSUER);
  const clock = new ManualClock(T0);
  return { issuer, clock, config, tokens: new AccessTokens({ issuer, clock, ttlSeconds: 600 }) };
}

/** A token like ours but with `change` applied: the header, the claims or the key. */
async function forge(issuer: BridgeIssuer, change: { header?: object; claims?: object; key?: CryptoKey } = {}) {
  const key = issuer.oidcKeys.signing;
  const iat = Math.floor(T0 / 1000);
  const claims = {
    iss: ISSUER,
    aud: 'rambridge-api',
    sub: 'pseudonym',
    iat,
    exp: iat + 600,
    jti: 'j',
    client_id: 'rambridge-cli',
    sid: 'sid-1',
  };
  return new SignJWT({ ...claims, ...change.claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...change.header })
    .sign(change.key ?? key.privateKey);
}

describe('CLI access tokens', () => {
  test('a minted token is an RFC 9068 JWT for rambridge-api naming its session, and verifies', async () => {
    const { tokens, issuer } = await setup();
    const { token, expiresIn } = await tokens.mint(SESSION);
    expect(expiresIn).toBe(600);
    const [header, payload] = token
      .split('.')
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header).toEqual({ alg: issuer.oidcKeys.signing.alg, kid: issuer.oidcKeys.signing.kid, typ: 'at+jwt' });
    expect(payload).toMatchObject({
      iss: ISSUER,
      aud: 'rambridge-api',
      sub: issuer.names.pseudonym(SESSION.identity),
      client_id: 'rambridge-cli',
      sid: 'sid-1',
    });
    expect(JSON.stringify(payload)).not.toContain('alice');
    await expect(tokens.verify(token)).resolves.toBe('sid-1');
    await expect(tokens.verify(await forge(issuer))).resolves.toBe('sid-1');
  });

  test('a token never outlives its session', async () => {
    const { tokens, clock } = await setup();
    clock.set(SESSION.expiresAt - 120_000);
    await expect(tokens.mint(SESSION)).resolves.toMatchObject({ expiresIn: 120 });
  });

  test('expired on the injected clock', async () => {
    const { tokens, clock } = await setup();
    const { token } = await tokens.mint(SESSION);
    clock.advance(599_000);
    await expect(tokens.verify(token)).resolves.toBe('sid-1');
    clock.advance(1000);
    await expect(tokens.verify(token)).rejects.toMatchObject({
      code: 'ERR_TOKEN_INVALID',
      oauthError: 'invalid_token',
      detail: { reason: 'ERR_JWT_EXPIRED' },
    });
  });

  test('verification is remembered for the exact token only: its payload under the same signature is refused', async () => {
    const { tokens } = await setup();
    const { token } = await tokens.mint(SESSION);
    await expect(tokens.verify(token)).resolves.toBe('sid-1');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const swapped = `${header}.${Buffer.from(JSON.stringify({ ...claims, sid: 'sid-2' })).toString('base64url')}.${signature}`;
    await expect(tokens.verify(swapped)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' });
    await expect(tokens.verify(token)).resolves.toBe('sid-1');
  });

  test.each([
    ['wrong audience', { claims: { aud: 'sts.aliyuncs.com' } }],
    ['wrong issuer', { claims: { iss: 'https://evil.example' } }],
    ['typ JWT (an ID token)', { header: { typ: 'JWT' } }],
    ['no typ', { header: { typ: undefined } }],
    ['another client', { claims: { client_id: 'other' } }],
    ['no sid', { claims: { sid: undefined } }],
    ['sid not a string', { claims: { sid: 42 } }],
  ])('refused: %s', async (_name, change) => {
    const { tokens, issuer } = await setup();
    await expect(tokens.verify(await forge(issuer, change))).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' });
  });

  test('refused: signed by another key, with or without our kid', async () => {
    const { tokens, issuer } = await setup();
    const other = (await generateKeyPair(issuer.oidcKeys.signing.alg)).privateKey;
    await expect(tokens.verify(await forge(issuer, { key: other }))).rejects.toMatchObject({
      detail: { reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' },
    });
    await expect(tokens.verify(await forge(issuer, { key: other, header: { kid: 'other' } }))).rejects.toMatchObject({
      detail: { reason: 'ERR_JWKS_NO_MATCHING_KEY' },
    });
  });

  test('refused: alg none and HS256 keyed with the public key', async () => {
    const { tokens, issuer } = await setup();
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${(await forge(issuer)).split('.')[1]}.`;
    await expect(tokens.verify(unsigned)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' });
    const hs = await forge(issuer, {
      header: { alg: 'HS256' },
      key: new TextEncoder().encode(JSON.stringify(issuer.oidcKeys.signing.publicJwk)) as unknown as CryptoKey,
    });
    await expect(tokens.verify(hs)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' });
  });

  test('an ID token the bridge mints for STS (same key) is no access token', async () => {
    const { tokens, issuer, config } = await setup();
    const idToken = await issuer.idToken(
      SESSION.identity,
      config.roles.find((r) => r.via === 'oidc')!,
      T0,
    );
    await expect(tokens.verify(idToken)).rejects.toMatchObject({ code: 'ERR_TOKEN_INVALID' });
  });
});
