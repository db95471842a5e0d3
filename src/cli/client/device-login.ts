import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WhoAmI } from './api.js';
import type { ClientContext } from './context.js';
import { fetchDiscovery, notABridge } from './discovery.js';
import { CliError } from './errors.js';
import { requestJson, serverDate, serverError } from './http.js';
import { pollTokenEndpoint, requestDeviceAuthorization, revokeToken, type DeviceAuthorization } from './oauth.js';
import { createPkce } from './pkce.js';
import { printable } from './printable.js';
import { pollForTokens } from './poll.js';
import { showWaiting, type OutputStream } from './progress.js';
import { renderQr } from './qr.js';
import { sessionEndsLocally } from './role-book.js';
import { userKey, type StoredSession } from './sessions.js';
import { t } from '../i18n/index.js';
import { alignLabels } from '../i18n/width.js';

export interface LoginUi {
  /** Where instructions and progress go (stderr: stdout is for `--json`). */
  stream: OutputStream;
  /** Try to open the verification page in a browser. */
  openBrowser?: (url: string) => void;
  /** Why no browser is opened, when none is. */
  noBrowserReason?: string;
  /** Print a QR code of the link (off by default: ~20 lines that would push the code off an 80×24 terminal). */
  qr?: boolean;
  /** Injected in tests to run the polling schedule instantly. */
  sleep?: (seconds: number) => Promise<void>;
}

export interface LoginResult {
  server: string;
  user: WhoAmI;
  /** When the session ends by this machine's clock (role-book.ts `sessionEndsLocally`). */
  sessionEndsAt?: number;
}

/**
 * `rambridge login`: the OAuth device flow (RFC 8628) bound to PKCE, against the server's
 * discovery document; stores the tokens and makes this server the default.
 */
export async function deviceLogin(ctx: ClientContext, server: string, ui: LoginUi): Promise<LoginResult> {
  const discovery = await fetchDiscovery(ctx.fetch, server);
  const pkce = createPkce();
  const host = hostname();
  const authorization = onServer(server, await requestDeviceAuthorization(ctx.fetch, discovery.device_authorization_endpoint, pkce, host));
  const deadline = ctx.clock.now() + authorization.expires_in * 1000;

  ui.stream.write(printable(await instructions(authorization, host, ui.qr === true)));
  const link = authorization.verification_uri_complete ?? authorization.verification_uri;
  if (ui.openBrowser) {
    ui.stream.write(`${t('openingBrowser')}\n`);
    ui.openBrowser(link);
  } else if (ui.noBrowserReason) {
    ui.stream.write(`${t('notOpeningBrowser', { reason: ui.noBrowserReason })}\n`);
  }

  const waiting = showWaiting(ui.stream, deadline, ctx.clock);
  const tokens = await pollForTokens(authorization, {
    attempt: () => pollTokenEndpoint(ctx.fetch, discovery.token_endpoint, authorization.device_code, pkce.verifier),
    sleep: ui.sleep ?? ((seconds) => sleep(seconds * 1000)),
    now: () => ctx.clock.now(),
  }).finally(() => waiting.stop());

  const who = await requestJson(ctx.fetch, `${server}/api/whoami`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  if (who.status !== 200) throw serverError(who);
  const user = who.body as WhoAmI;

  const session: StoredSession = {
    tokenEndpoint: discovery.token_endpoint,
    revocationEndpoint: discovery.revocation_endpoint,
    accessToken: tokens.access_token,
    accessTokenExpiresAt: ctx.clock.now() + tokens.expires_in * 1000,
    refreshToken: tokens.refresh_token,
    user: { idp: user.idp, subject: user.subject, email: user.email, name: user.name },
    sessionExpiresAt: user.sessionExpiresAt,
  };
  await replaceSession(ctx, server, session);
  // Remembered for `whoami` while the server is down.
  const identity = { me: user, fetchedAt: ctx.clock.now(), serverDate: serverDate(who) };
  await ctx.roleBook.saveIdentity(server, userKey(session.user), identity);
  await ctx.settings.update((s) => ({ ...s, server }));
  return { server, user, sessionEndsAt: sessionEndsLocally(identity) };
}

/**
 * Stores the new session and ends the one it replaces at the server rather than leave it alive.
 * The cached credentials the old session's end cut short go with it (`removeCut`): the login is
 * what the cut's line on stderr advises for longer ones. The swap holds both locks
 * (`withCredentialsToo`; not the interactive flow before it), so no credentials cut by the old
 * session are cached after it; the old one is revoked after they are released.
 */
async function replaceSession(ctx: ClientContext, server: string, session: StoredSession): Promise<void> {
  const previous = await ctx.sessions.withCredentialsToo(async () => {
    const stored = await ctx.sessions.get(server);
    await ctx.sessions.put(server, session);
    await ctx.cache.removeCut(server);
    return stored;
  });
  if (previous?.revocationEndpoint) await revokeToken(ctx.fetch, previous.revocationEndpoint, previous.refreshToken, 'refresh_token');
}

/**
 * The shape of the codes the bridge issues (src/device/user-code.ts: 8 letters shown `XXXX-XXXX`),
 * with room for another alphabet or length; never whitespace or a control character, which would
 * let a code print lines of its own under the checked link.
 */
const USER_CODE = /^[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
const USER_CODE_MAX_LENGTH = 32;

/**
 * The authorization, if its pages are the server's own and its code is a code. The pages are
 * printed and handed to the platform's opener; one elsewhere (another host, a `file:` or
 * `javascript:` URL) would send the user somewhere the server they chose does not answer for. They
 * come back as the URL parser wrote them (`href`), the form that was checked: the parser drops a
 * newline or tab that, printed raw, would show a second link.
 */
function onServer(server: string, authorization: DeviceAuthorization): DeviceAuthorization {
  const { user_code: code } = authorization;
  if (code.length > USER_CODE_MAX_LENGTH || !USER_CODE.test(code)) throw notABridge(server, t('oddUserCode'));
  const { origin } = new URL(server);
  const checked = (page: string): string => {
    const url = URL.canParse(page) ? new URL(page) : undefined;
    if (url?.origin !== origin) {
      throw new CliError('ERR_CLI_SERVER_ERROR', t('foreignSignInPage', { host: url?.host || page.slice(0, 60) }), {
        hint: t('foreignSignInPageHint'),
      });
    }
    return url.href;
  };
  const complete = authorization.verification_uri_complete;
  return {
    ...authorization,
    verification_uri: checked(authorization.verification_uri),
    ...(complete === undefined ? {} : { verification_uri_complete: checked(complete) }),
  };
}

/**
 * The code, the page, and what the page must show. Users are told to compare host names: a code
 * that arrives in a phishing message would show another machine's name on the approval page.
 * The QR code, when asked for, comes first: what scrolls away then is the QR's top, never the code.
 */
async function instructions(authorization: DeviceAuthorization, host: string, withQr: boolean): Promise<string> {
  const complete = authorization.verification_uri_complete;
  const qr = withQr && complete ? await renderQr(complete) : undefined;
  const lines = qr ? ['', qr, `  ${t('loginScan')}`] : [];
  const [open, enter] = alignLabels(t('loginOpen'), t('loginEnterCode'));
  lines.push('', `  ${open}${authorization.verification_uri}`, `  ${enter}${authorization.user_code}`, '');
  if (complete) lines.push(`  ${t('loginOrOpen')}`, `  ${complete}`, '');
  lines.push(`  ${t('loginApproveOnly', { host })}`, '');
  return `${lines.join('\n')}\n`;
}
