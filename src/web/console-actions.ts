import type { Context } from 'koa';
import type { BridgeConfig } from '../config/index.js';
import { ConsoleOpener } from '../console/open-console.js';
import type { CredentialIssuer } from '../issuance/index.js';
import type { ShownCredentialsStore } from './shown-credentials.js';
import type { CheckedRoleRequest } from '../issuance/role-request.js';
import { formatDateTime, formatDurationIn } from './i18n/format.js';
import { translator, type Language } from './i18n/index.js';
import { isoSeconds } from '../iso-time.js';
import { DEFAULT_ALIYUN_REGION, aliyunProfileName } from '../wire/aliyun-profile.js';
import { SHELL_NAMES, SHELLS, shellSnippets } from './shell-snippets.js';
import { clientIp } from './client-ip.js';
import { consoleFormOrigins } from './console-origins.js';
import { csrfToken } from './middleware/csrf.js';
import { pageLocale } from './middleware/language.js';
import type { CredentialsPage } from './pages.js';
import type { RoleActions } from './role-actions.js';
import type { Views } from './views.js';

/**
 * "Open console" and "Get CLI credentials" for the browser: the pages and redirects around the
 * console use case (src/console/) and the credential issuer (src/issuance/).
 */
export function createRoleActions(deps: {
  config: BridgeConfig;
  credentials: CredentialIssuer;
  views: Views;
  /** Where minted credentials wait for their GET page. */
  shown: ShownCredentialsStore;
  fetch?: typeof fetch;
}): RoleActions {
  const { credentials, views } = deps;
  const opener = new ConsoleOpener(deps);
  const consoleOrigins = consoleFormOrigins(deps.config);

  return {
    async openConsole(ctx: Context, request: CheckedRoleRequest) {
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      const landing = await opener.open(
        { ...request, clientIp: clientIp(ctx), requestId: ctx.state.requestId, connectorData: ctx.session?.connectorData },
        body.destination,
      );
      if (landing.kind === 'redirect') return ctx.redirect(landing.url);

      // Role SSO answers the post with a redirect into the console, on another origin in
      // production, and Chromium holds redirects after a form post to form-action as well.
      ctx.state.formActions?.push(...new Set([new URL(landing.action).origin, ...consoleOrigins]));
      ctx.type = 'html';
      ctx.body = views.render(
        'console-post',
        {
          title: translator(ctx.state.lang)('consolePost.title'),
          role: request.choice.role,
          action: landing.action,
          samlResponse: landing.samlResponse,
          relayState: landing.relayState,
          user: ctx.state.user,
          csrf: csrfToken(ctx),
          scripts: ['/assets/page.js'],
        },
        pageLocale(ctx),
      );
    },

    // POST-redirect-GET: mint once, keep the result for this session a few minutes, and send the
    // browser to the page that shows it (routes/credentials.ts). Reloading that page shows the same
    // keys; it never mints again nor re-posts the form.
    async showCredentials(ctx: Context, request: CheckedRoleRequest) {
      const issued = await credentials.issue({
        ...request,
        channel: 'web-credentials',
        clientIp: clientIp(ctx),
        requestId: ctx.state.requestId,
        connectorData: ctx.session?.connectorData,
      });
      const id = await deps.shown.keep(issued, request.choice.role.id, request.identity, csrfToken(ctx));
      ctx.status = 303;
      ctx.redirect(`/roles/credentials/${id}`);
    },
  };
}

/** What credentialsView needs of issued (or kept) credentials. */
export interface ShownIssue {
  roleSessionName: string;
  credentials: { accessKeyId: string; accessKeySecret: string; securityToken: string; expiration: Date };
}

/**
 * The ways the page offers the credentials: per shell (environment variables and an `aliyun
 * configure set` command), an Alibaba CLI profile as JSON, and the expiry with a countdown from
 * `now`. The profile's name is the one every rambridge profile has (wire/aliyun-profile.ts); its
 * `language` (the aliyun CLI's own messages) follows the page: `zh` for zh-CN, else `en`.
 */
export function credentialsView(issued: ShownIssue, roleId: string, lang: Language, now: number): CredentialsPage {
  const { credentials } = issued;
  const expiration = isoSeconds(credentials.expiration);
  const profileName = aliyunProfileName(roleId);
  const language = lang === 'zh-CN' ? 'zh' : 'en';
  const snippetInput = { ...credentials, profileName, region: DEFAULT_ALIYUN_REGION, language } as const;
  return {
    roleSessionName: issued.roleSessionName,
    expiration,
    expirationUtc: formatDateTime(lang, credentials.expiration),
    expiresIn: expiresIn(lang, credentials.expiration.getTime() - now),
    secondsLeft: Math.max(0, Math.floor((credentials.expiration.getTime() - now) / 1000)),
    profileName,
    shells: SHELLS.map((shell) => ({ ...shellSnippets(shell, snippetInput), name: SHELL_NAMES[shell] })),
    profileJson: JSON.stringify(
      {
        name: profileName,
        mode: 'StsToken',
        access_key_id: credentials.accessKeyId,
        access_key_secret: credentials.accessKeySecret,
        sts_token: credentials.securityToken,
        region_id: DEFAULT_ALIYUN_REGION,
        output_format: 'json',
        language,
      },
      null,
      2,
    ),
  };
}

/**
 * "expires in 59 min": whole minutes (rounded down, so it never promises time that is not left),
 * seconds in the last minute. page.js counts down from here with the same rule and the same words.
 */
export function expiresIn(lang: Language, leftMs: number): string {
  const t = translator(lang);
  if (leftMs <= 0) return t('credentials.expired');
  const seconds = Math.floor(leftMs / 1000);
  const remaining = seconds < 60 ? t('credentials.seconds', { seconds }) : formatDurationIn(lang, Math.floor(seconds / 60) * 60);
  return t('credentials.expiresIn', { remaining });
}
