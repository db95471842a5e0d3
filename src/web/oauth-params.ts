import type { Context } from 'koa';
import { CLI_CLIENT_ID, type OAuthParamName, type OAuthRequests } from '../wire/oauth.js';
import { BridgeError, sentence } from '../errors.js';

/** Reads one parameter of an OAuth request, by a name the request has; undefined when absent or empty. */
export type OAuthParam<Name extends string = string> = (name: Name) => string | undefined;

/**
 * The parameters of an OAuth endpoint request: form-encoded only (RFC 6749 §3.2), each at most once
 * (§3.1: "MUST NOT be included more than once"), and an empty value counts as absent (§3.1).
 */
export function oauthParams<K extends keyof OAuthRequests>(ctx: Context): OAuthParam<OAuthParamName<K>> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.form') });
  }
  const body = (ctx.request.body ?? {}) as Record<string, unknown>;
  return (name) => {
    const value = Object.hasOwn(body, name) ? body[name] : undefined;
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string')
      throw new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.repeated', { name }) });
    return value;
  };
}

export function requiredParam<Name extends string>(param: OAuthParam<Name>, name: Name): string {
  const value = param(name);
  if (value === undefined) throw new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.missing', { name }) });
  return value;
}

/**
 * Authenticates the client. The CLI is the only client and a public one (RFC 6749 §2.1): it
 * identifies itself by `client_id` and proves nothing more, so any other id is refused.
 */
export function authenticateClient(param: OAuthParam<'client_id'>): string {
  const clientId = param('client_id');
  if (clientId !== CLI_CLIENT_ID) {
    throw new BridgeError('ERR_OAUTH_INVALID_CLIENT', {
      userMessage: sentence('err.ERR_OAUTH_INVALID_CLIENT'),
      detail: { clientId: clientId?.slice(0, 100) },
    });
  }
  return clientId;
}
