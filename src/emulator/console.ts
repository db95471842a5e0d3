import type { Context } from 'koa';
import type { EmulatorDeps } from './deps.js';
import { consoleLocation, CONSOLE_SERVICES, type ConsoleService } from './console-services.js';
import { html, type Html } from './html.js';
import { sendPage } from './http.js';
import { isoSeconds } from '../iso-time.js';
import { callerArn } from './role-session.js';
import type { ConsoleSession } from './state.js';

/**
 * The console stand-in: `GET /console[/…]` shows who is signed in as which role. Every value sits
 * in an element with a stable `data-testid`, so browser tests read it without parsing prose.
 * No credential is ever rendered: the page knows the session, not its keys.
 */

const COOKIE = 'emulator_console';

/** Starts a console session for the browser (after Login or role SSO). */
export function setConsoleCookie(deps: EmulatorDeps, ctx: Context, session: ConsoleSession): void {
  ctx.cookies.set(COOKIE, deps.state.createConsoleSession(session), {
    httpOnly: true,
    sameSite: 'lax',
    secure: deps.origin.startsWith('https:'),
    path: '/',
    overwrite: true,
  });
}

/** `GET /console[/…]`: the signed-in session, or 401 without one. */
export function consolePage(deps: EmulatorDeps) {
  return async function showConsole(ctx: Context): Promise<void> {
    const id = ctx.cookies.get(COOKIE);
    const signedIn = id ? deps.state.consoleSession(id) : undefined;
    if (!signedIn) {
      ctx.status = 401;
      sendPage(ctx, 'Not signed in', html`<p data-testid="console-signed-out">No console session. Sign in first.</p>`);
      return;
    }
    const where = consoleLocation(ctx.path);
    if (where.kind === 'unknown-region') {
      ctx.status = 404;
      sendPage(
        ctx,
        'No such region',
        html`<p data-testid="console-unknown-region">${where.service.title} has no region "${where.region}".</p>
          ${servicesNav()}`,
      );
      return;
    }
    const { session, loginUrl } = signedIn;
    const { role } = session;
    const expired = session.expiresAt <= deps.clock.now();
    const again = loginUrl ? html` <a data-testid="console-login-url" href="${loginUrl}">Sign in again</a>` : '';
    const alias = deps.directory.accountAlias(role.accountId);
    const title =
      where.kind === 'service' ? `${where.service.title} console${where.region ? ` · ${where.region}` : ''}` : 'Alibaba Cloud console';
    sendPage(
      ctx,
      title,
      html`${expired ? html`<p data-testid="console-expired">This session has expired.${again}</p>` : ''}
        <p data-testid="console-summary">
          Signed in as <strong>${role.name}</strong> in account ${role.accountId}${alias ? ` (${alias})` : ''}.
        </p>
        ${servicesNav()}
        <dl>
          ${where.kind === 'service' ? serviceFacts(where.id, where.service, where.region) : ''}
          <dt>Account</dt>
          <dd data-testid="console-account-id">${role.accountId}</dd>
          <dt>Account alias</dt>
          <dd data-testid="console-account-alias">${alias ?? ''}</dd>
          <dt>Role ARN</dt>
          <dd data-testid="console-role-arn">${role.arn}</dd>
          <dt>RoleSessionName</dt>
          <dd data-testid="console-session-name">${session.sessionName}</dd>
          <dt>Assumed-role ARN</dt>
          <dd data-testid="console-assumed-role-arn">${callerArn(session)}</dd>
          <dt>Signed in through</dt>
          <dd data-testid="console-origin">${session.origin}</dd>
          <dt>Session expires</dt>
          <dd data-testid="console-expiration">${isoSeconds(session.expiresAt)}</dd>
          <dt>Page</dt>
          <dd data-testid="console-path">${ctx.path}</dd>
        </dl>
        <h2>Effective permissions</h2>
        <p>The role's policies intersected with the session policy.</p>
        <pre data-testid="console-effective-policy">${JSON.stringify(session.permissions.toDocument(), null, 2)}</pre>`,
    );
  };
}

/** Service and region rows of the console page; a global service says so instead of a region. */
function serviceFacts(id: string, service: ConsoleService, region: string | undefined): Html {
  return html`<dt>Service</dt>
    <dd data-testid="console-service" data-service="${id}">${service.name} (${service.title})</dd>
    <dt>Region</dt>
    <dd data-testid="console-region">${service.regional ? (region ?? 'not chosen') : 'global'}</dd>`;
}

/** Links to each service's console, so the demo can be walked around like the real one. */
function servicesNav(): Html {
  const links = Object.entries(CONSOLE_SERVICES).map(([id, s]) => html` <a href="/console/${id}">${s.title}</a>`);
  return html`<p data-testid="console-services">Services:${links}</p>`;
}
