import type { Context } from 'koa';
import { setConsoleCookie } from './console.js';
import type { EmulatorDeps } from './deps.js';
import * as errors from './errors.js';
import { collectParams, requestIdOf, sendJson } from './http.js';
import { safeEqual } from './signature.js';
import type { StsCredential } from './state.js';

/**
 * The console federation endpoint (docs/alibaba-cloud-reference.md §6): `GET|POST /federation`.
 *
 * - `Action=GetSigninToken` trades STS credentials (AccessKeyId, AccessKeySecret, SecurityToken,
 *   `TicketType=mini`) for a SigninToken that is single-use and lives 30 seconds. Its query
 *   string carries the secret — the documented API, and the one URL allowed to.
 * - `Action=Login` spends the token: 302 to `Destination` with a console session cookie.
 *   `Destination` must be this emulator's console (the real one demands an Alibaba Cloud URL),
 *   so the endpoint cannot be used as an open redirect.
 */
/** `/federation`: GetSigninToken and Login. */
export function federation(deps: EmulatorDeps) {
  return async function handleFederation(ctx: Context): Promise<void> {
    const { params } = collectParams(ctx);
    if (params.Action === 'GetSigninToken') return getSigninToken(deps, ctx, params);
    if (params.Action === 'Login') return login(deps, ctx, params);
    throw errors.invalidAction(`Action ${params.Action ?? '(none)'}`);
  };
}

function getSigninToken(deps: EmulatorDeps, ctx: Context, p: Record<string, string>): void {
  for (const name of ['AccessKeyId', 'AccessKeySecret', 'SecurityToken']) if (!p[name]) throw errors.missingParameter(name);
  // Only `mini` is documented; other ticket types are refused rather than guessed at.
  if (p.TicketType !== 'mini') throw errors.invalidParameter('TicketType', `TicketType ${p.TicketType ?? '(none)'}`);
  const credential = stsCredential(deps, p.AccessKeyId!, p.AccessKeySecret!, p.SecurityToken!);
  sendJson(ctx, { RequestId: requestIdOf(ctx), SigninToken: deps.state.createSigninToken(credential) });
}

function stsCredential(deps: EmulatorDeps, accessKeyId: string, secret: string, token: string): StsCredential {
  const credential = deps.state.credential(accessKeyId);
  if (!credential || !safeEqual(credential.accessKeySecret, secret) || !safeEqual(credential.securityToken, token)) {
    throw errors.credentialInvalid('unknown STS credentials, or secret/token do not match');
  }
  if (credential.session.expiresAt <= deps.clock.now()) throw errors.securityTokenExpired();
  return credential;
}

function login(deps: EmulatorDeps, ctx: Context, p: Record<string, string>): void {
  for (const name of ['LoginUrl', 'Destination', 'SigninToken']) if (!p[name]) throw errors.missingParameter(name);
  const loginUrl = httpUrl(p.LoginUrl!);
  if (!loginUrl) throw errors.invalidParameter('LoginUrl');
  const destination = consoleUrl(deps.origin, p.Destination!);
  if (!destination) throw errors.invalidParameter('Destination', `${p.Destination} is not under ${deps.origin}/console`);
  // Spent before the credential behind it is checked: one attempt per token, successful or not.
  const credential = deps.state.consumeSigninToken(p.SigninToken!);
  if (!credential) throw errors.credentialInvalid('SigninToken unknown, used or older than 30 s');
  if (credential.session.expiresAt <= deps.clock.now()) throw errors.securityTokenExpired();
  setConsoleCookie(deps, ctx, { session: credential.session, loginUrl: loginUrl.href });
  ctx.redirect(destination.href);
}

function httpUrl(raw: string): URL | undefined {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The URL when it is this emulator's console page (`/console` or below), else undefined. */
export function consoleUrl(origin: string, raw: string): URL | undefined {
  const url = httpUrl(raw);
  if (!url || url.origin !== origin || url.username || url.password) return undefined;
  return url.pathname === '/console' || url.pathname.startsWith('/console/') ? url : undefined;
}
