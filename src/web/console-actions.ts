import type { Context } from 'koa';
import type { BridgeConfig } from '../config/index.js';
import { ConsoleOpener } from '../console/open-console.js';
import type { CredentialIssuer, IssuedCredentials } from '../issuance/index.js';
import type { CheckedRoleRequest } from '../issuance/role-request.js';
import { formatDateTime } from './i18n/format.js';
import { translator, type Language } from './i18n/index.js';
import { isoSeconds } from '../iso-time.js';
import { shellQuote } from '../shell-quote.js';
import { clientIp } from './client-ip.js';
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
  fetch?: typeof fetch;
}): RoleActions {
  const { credentials, views } = deps;
  const opener = new ConsoleOpener(deps);

  return {
    async openConsole(ctx: Context, request: CheckedRoleRequest) {
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      const landing = await opener.open(
        { ...request, clientIp: clientIp(ctx), requestId: ctx.state.requestId, connectorData: ctx.session?.connectorData },
        body.destination,
      );
      if (landing.kind === 'redirect') return ctx.redirect(landing.url);

      ctx.state.formActions?.push(new URL(landing.action).origin);
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

    async showCredentials(ctx: Context, request: CheckedRoleRequest) {
      const issued = await credentials.issue({
        ...request,
        channel: 'web-credentials',
        clientIp: clientIp(ctx),
        requestId: ctx.state.requestId,
        connectorData: ctx.session?.connectorData,
      });
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Pragma', 'no-cache');
      ctx.type = 'html';
      ctx.body = views.render(
        'credentials',
        {
          title: translator(ctx.state.lang)('credentials.title', { role: request.choice.role.id }),
          role: request.choice.role,
          ...credentialsView(issued, request.choice.role.id, ctx.state.lang),
          user: ctx.state.user,
          csrf: csrfToken(ctx),
          scripts: ['/assets/page.js'],
        },
        pageLocale(ctx),
      );
    },
  };
}

/**
 * The three ways the page offers the credentials: shell exports, an Alibaba CLI profile, the expiry.
 * The profile's `language` (the aliyun CLI's own messages) follows the page: `zh` for zh-CN, else `en`.
 */
export function credentialsView(issued: IssuedCredentials, roleId: string, lang: Language = 'en'): CredentialsPage {
  const { credentials } = issued;
  const expiration = isoSeconds(credentials.expiration);
  const profileName = `rambridge-${roleId}`;
  return {
    roleSessionName: issued.roleSessionName,
    expiration,
    expirationUtc: formatDateTime(lang, credentials.expiration),
    profileName,
    envExports: [
      `export ALIBABA_CLOUD_ACCESS_KEY_ID=${shellQuote(credentials.accessKeyId)}`,
      `export ALIBABA_CLOUD_ACCESS_KEY_SECRET=${shellQuote(credentials.accessKeySecret)}`,
      `export ALIBABA_CLOUD_SECURITY_TOKEN=${shellQuote(credentials.securityToken)}`,
    ].join('\n'),
    profileJson: JSON.stringify(
      {
        name: profileName,
        mode: 'StsToken',
        access_key_id: credentials.accessKeyId,
        access_key_secret: credentials.accessKeySecret,
        sts_token: credentials.securityToken,
        region_id: 'cn-hangzhou',
        output_format: 'json',
        language: lang === 'zh-CN' ? 'zh' : 'en',
      },
      null,
      2,
    ),
  };
}
