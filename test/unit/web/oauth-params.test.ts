import type { Context } from 'koa';
import { isBridgeError } from '../../../src/errors.js';
import { authenticateClient, oauthParams, requiredParam, type OAuthParam } from '../../../src/web/oauth-params.js';
import { CLI_CLIENT_ID, DEVICE_CODE_GRANT, type OAuthParamName, type OAuthRequest } from '../../../src/wire/oauth.js';

/** A form-encoded request as Koa's body parser leaves it. */
const formContext = (body: Record<string, unknown>) =>
  ({ is: (type: string) => type === 'application/x-www-form-urlencoded', request: { body } }) as unknown as Context;

/**
 * The OAuth request parameters are one shared type (src/wire/oauth.ts) for the CLI that sends them
 * and the routes that read them; `npm run check` runs tsc over this file, so each
 * `@ts-expect-error` fails the check if the mistake it marks were to compile.
 */
function mistakes(param: OAuthParam<OAuthParamName<'device_code_grant' | 'refresh_token_grant'>>): void {
  // @ts-expect-error -- a name the token requests do not have ('devicecode')
  requiredParam(param, 'devicecode');
  // @ts-expect-error -- the revocation request's parameter, not the token endpoint's
  requiredParam(param, 'token');
  // @ts-expect-error -- the CLI sending a misspelt parameter
  void ({ grant_type: DEVICE_CODE_GRANT, devicecode: 'x', client_id: CLI_CLIENT_ID } satisfies OAuthRequest<'device_code_grant'>);
}

describe('OAuth request parameters', () => {
  test('read by the names the shared request type has; both token grants share one reader', () => {
    const param = oauthParams<'device_code_grant' | 'refresh_token_grant'>(
      formContext({ grant_type: 'refresh_token', refresh_token: 'r', client_id: CLI_CLIENT_ID }),
    );
    expect([requiredParam(param, 'grant_type'), requiredParam(param, 'refresh_token'), authenticateClient(param)]).toEqual([
      'refresh_token',
      'r',
      CLI_CLIENT_ID,
    ]);
    expect(param('device_code')).toBeUndefined();
    expect(typeof mistakes).toBe('function');
  });

  test('an empty value is absent, a repeated one is refused with a code (RFC 6749 §3.1)', () => {
    const param = oauthParams<'revoke'>(formContext({ token: '', token_type_hint: ['a', 'b'], client_id: CLI_CLIENT_ID }));
    expect(param('token')).toBeUndefined();
    expect(() => requiredParam(param, 'token')).toThrow(expect.objectContaining({ code: 'ERR_BAD_REQUEST' }));
    let refused: unknown;
    try {
      param('token_type_hint');
    } catch (err) {
      refused = err;
    }
    expect(isBridgeError(refused, 'ERR_BAD_REQUEST')).toBe(true);
  });
});
