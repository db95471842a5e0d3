import { issueCredentials, listRoles, whoami } from '../../../src/cli/client/api.js';
import type { BridgeClient } from '../../../src/cli/client/bridge-client.js';
import { CliError } from '../../../src/cli/client/errors.js';
import { refreshTokens } from '../../../src/cli/client/oauth.js';
import { credentialsRequestSchema } from '../../../src/wire/api.js';

/** A client whose server answers every call with `body`. */
const answering = (body: unknown) =>
  ({
    get: () => Promise.resolve(body),
    getDated: () => Promise.resolve({ body, serverDate: undefined }),
    post: () => Promise.resolve(body),
    postDated: () => Promise.resolve({ body, serverDate: undefined }),
  }) as unknown as BridgeClient;

describe('the CLI reads /api/* answers through the server’s schemas (src/wire/api.ts)', () => {
  test('a well-formed answer comes through, unknown fields dropped', async () => {
    const creds = {
      accessKeyId: 'STS.k',
      accessKeySecret: 's',
      securityToken: 't',
      expiration: '2026-01-01T01:00:00Z',
      roleArn: 'acs:ram::1:role/r',
    };
    await expect(issueCredentials(answering({ ...creds, extra: 1 }), { role: 'r', durationSeconds: 900 })).resolves.toEqual({
      credentials: creds,
      serverDate: undefined,
    });
  });

  test.each([
    ['POST /api/credentials', (c: BridgeClient) => issueCredentials(c, { role: 'r', durationSeconds: 900 }), { accessKeyId: 1 }],
    ['GET /api/roles', (c: BridgeClient) => listRoles(c), { roles: [{ id: 'r' }] }],
    ['GET /api/whoami', (c: BridgeClient) => whoami(c), { subject: 's' }],
  ])('an answer to %s in another shape is a clear server error', async (_endpoint, call, body) => {
    await expect(call(answering(body))).rejects.toMatchObject({ code: 'ERR_CLI_SERVER_ERROR' });
  });

  test.each(['$(id)', 'dev admin', '--role=x', 'Dev', ''])(
    'a role id not of the server’s form (%j) is a server error, never stored or shown',
    async (id) => {
      const role = {
        id,
        arn: 'acs:ram::1:role/r',
        accountId: '1',
        accountName: 'a',
        via: 'oidc',
        maxSessionDuration: 3600,
        elevated: false,
      };
      await expect(listRoles(answering({ roles: [{ ...role, id: 'ok-role' }] }))).resolves.toHaveLength(1);
      await expect(listRoles(answering({ roles: [role] }))).rejects.toMatchObject({ code: 'ERR_CLI_SERVER_ERROR' });
    },
  );

  test('the request schema reads a mistyped duration or justification as absent, for the server to refuse by its own code', () => {
    expect(credentialsRequestSchema.parse({ role: 'r', durationSeconds: '3600', justification: 7 })).toEqual({ role: 'r' });
    expect(credentialsRequestSchema.safeParse({ durationSeconds: 900 }).success).toBe(false);
  });
});

describe('the CLI reads /oauth/* answers through the server’s schemas (src/wire/oauth-bodies.ts)', () => {
  const fetchAnswering = (status: number, body: unknown) => () =>
    Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

  test('a token answer missing a field the server always sends is no token set', async () => {
    const tokens = { access_token: 'a', token_type: 'Bearer', expires_in: 600, refresh_token: 'r' };
    await expect(refreshTokens(fetchAnswering(200, tokens), 'https://bridge.example/oauth/token', 'old')).resolves.toEqual(tokens);
    const incomplete = { access_token: 'a', expires_in: 600, refresh_token: 'r' };
    await expect(refreshTokens(fetchAnswering(200, incomplete), 'https://bridge.example/oauth/token', 'old')).rejects.toBeInstanceOf(
      CliError,
    );
  });

  test('invalid_grant on refresh ends the session', async () => {
    await expect(
      refreshTokens(fetchAnswering(400, { error: 'invalid_grant', error_description: 7 }), 'https://bridge.example/oauth/token', 'old'),
    ).rejects.toMatchObject({ code: 'ERR_CLI_SESSION_ENDED' });
  });
});
