import * as client from 'openid-client';
import { BridgeError, sentence } from '../../errors.js';

/**
 * openid-client failures turned into stable codes that name their cause. The library wraps the
 * real reason: `ClientError('invalid response encountered')` has the specific check that failed
 * (`unexpected JWT "aud" claim value`…) as its `cause`, so the log gets the whole chain, never
 * only the outer sentence, which is the same for half a dozen different refusals.
 */

/** Who the error is about, for the page (display name, set by the admin) and the log (id). */
export interface IdpNames {
  id: string;
  displayName: string;
  issuer: string;
}

/** What an openid-client error says, for the log: codes and messages down the cause chain, no token or claim values. */
export function oidcFailure(err: unknown): Record<string, unknown> {
  const reasons: string[] = [];
  const fields: Record<string, unknown> = {};
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      reasons.push(`${typeof code === 'string' ? code : current.name}: ${current.message}`);
      current = current.cause;
    } else if (typeof current === 'object') {
      // oauth4webapi's check details: which claim or attribute; the values may be personal or secret.
      const { claim, attribute, reason } = current as Record<string, unknown>;
      Object.assign(fields, definedStrings({ claim, attribute, reason }));
      break;
    } else break;
  }
  if (err instanceof client.ResponseBodyError || err instanceof client.AuthorizationResponseError) {
    Object.assign(fields, definedStrings({ idpError: err.error, idpErrorDescription: err.error_description ?? undefined }));
  }
  const httpStatus = httpStatusOf(err);
  if (httpStatus !== undefined) fields.httpStatus = httpStatus;
  if (err instanceof client.WWWAuthenticateChallengeError) fields.challenges = err.cause.map((c) => c.scheme).join(',');
  return { error: reasons.join(' <- '), ...fields };
}

/**
 * oauth4webapi's codes for an answer with an unexpected status or body and no OAuth error in it
 * (openid-client does not re-export them); the error's cause is then the Response.
 */
const UNEXPECTED_ANSWER = new Set(['OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON']);

/**
 * The HTTP status of an error answer from the IdP, whatever its body: an OAuth error in JSON, a
 * WWW-Authenticate challenge, or a page that is neither (a proxy's or a firewall's).
 */
function httpStatusOf(err: unknown): number | undefined {
  if (err instanceof client.ResponseBodyError || err instanceof client.WWWAuthenticateChallengeError) return err.status;
  // The cause is the fetch Response, read by shape: `instanceof` fails across realms (test VMs).
  const { code, cause } = (err ?? {}) as { code?: unknown; cause?: { status?: unknown } };
  const status = typeof code === 'string' && UNEXPECTED_ANSWER.has(code) ? cause?.status : undefined;
  return typeof status === 'number' && status >= 400 ? status : undefined;
}

/**
 * The failure of a token-endpoint call (code or refresh grant), by cause. Any 4xx answer is the
 * IdP refusing the exchange (counted as a refused sign-in when it was a code), however it is
 * written; a 5xx page that is not an OAuth error is the IdP failing, not the token.
 */
export function grantError(err: unknown, idp: IdpNames): BridgeError {
  const detail = { idp: idp.id, ...oidcFailure(err) };
  if (err instanceof client.AuthorizationResponseError) return new BridgeError('ERR_AUTH_IDP_ERROR', { detail });
  if (clientRejected(err)) return clientRejectedError(idp, detail, err);
  const status = httpStatusOf(err);
  if (err instanceof client.ResponseBodyError || (status !== undefined && status < 500))
    return new BridgeError('ERR_AUTH_IDP_ERROR', { detail });
  if (status !== undefined) return unreachableError(idp, detail, err);
  if (failedOnAuthTime(err)) return notReauthenticated(idp, detail);
  const code = (err as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && (code.startsWith('OAUTH_') || code.startsWith('ERR_JW')) && code !== 'OAUTH_TIMEOUT') {
    return new BridgeError('ERR_AUTH_TOKEN_INVALID', { detail });
  }
  return unreachableError(idp, detail, err);
}

/** The failure of discovery: an issuer that names itself differently is a config mistake, anything else an outage. */
export function discoveryError(err: unknown, idp: IdpNames): BridgeError {
  const failure = oidcFailure(err);
  const discovered = discoveredIssuer(err);
  if (discovered !== undefined) {
    return new BridgeError('ERR_IDP_ISSUER_MISMATCH', {
      userMessage: sentence('err.ERR_IDP_ISSUER_MISMATCH', { idp: idp.displayName }),
      hint: sentence('hint.issuerMismatch'),
      detail: { idp: idp.id, configuredIssuer: idp.issuer, discoveredIssuer: discovered, ...failure },
    });
  }
  return unreachableError(idp, { idp: idp.id, issuer: idp.issuer, ...failure }, err);
}

export function unreachableError(idp: IdpNames, detail: Record<string, unknown>, cause?: unknown): BridgeError {
  return new BridgeError('ERR_IDP_UNREACHABLE', {
    userMessage: sentence('err.ERR_IDP_UNREACHABLE', { idp: idp.displayName }),
    hint: sentence('hint.idpUnreachable'),
    detail,
    cause,
  });
}

/**
 * RFC 6749 §5.2: a wrong client secret is `invalid_client`, answered 401, often with a
 * WWW-Authenticate challenge (which openid-client raises as its own error type, before the body).
 */
function clientRejected(err: unknown): boolean {
  return (err instanceof client.ResponseBodyError && err.error === 'invalid_client') || httpStatusOf(err) === 401;
}

function clientRejectedError(idp: IdpNames, detail: Record<string, unknown>, cause: unknown): BridgeError {
  return new BridgeError('ERR_IDP_CLIENT_REJECTED', {
    userMessage: sentence('err.ERR_IDP_CLIENT_REJECTED', { idp: idp.displayName }),
    hint: sentence('hint.clientRejected'),
    detail,
    cause,
  });
}

/** The `issuer` a discovery document named when it was not the expected one (oauth4webapi's JSON attribute check). */
function discoveredIssuer(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    const c = current as { attribute?: unknown; body?: { issuer?: unknown }; cause?: unknown };
    if (c.attribute === 'issuer') return typeof c.body?.issuer === 'string' ? c.body.issuer.slice(0, 300) : '(none)';
    current = c.cause;
  }
  return undefined;
}

function definedStrings(values: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/**
 * Under `max_age` (a re-authentication for a CLI approval) openid-client refuses an ID token whose
 * `auth_time` is missing or too old. Either way the IdP did not ask the user again: say so, as the
 * SAML side and the bridge's own check do, rather than calling the token invalid. The library gives
 * the too-old case `claim: 'auth_time'` and the missing case only its message.
 */
function failedOnAuthTime(err: unknown): boolean {
  for (let current = err, depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    const { claim, message, cause } = current as { claim?: unknown; message?: unknown; cause?: unknown };
    if (claim === 'auth_time' || (typeof message === 'string' && message.startsWith('JWT "auth_time"'))) return true;
    current = cause;
  }
  return false;
}

function notReauthenticated(idp: IdpNames, detail: Record<string, unknown>): BridgeError {
  return new BridgeError('ERR_AUTH_NOT_REAUTHENTICATED', {
    userMessage: sentence('err.ERR_AUTH_NOT_REAUTHENTICATED', { idp: idp.displayName }),
    hint: sentence('hint.reauthOidc'),
    detail,
  });
}
