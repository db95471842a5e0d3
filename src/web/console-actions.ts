import type { Context } from 'koa';
import type { BridgeConfig } from '../config/index.js';
import type { CredentialIssuer, IssuedCredentials } from '../issuance/index.js';
import type { RoleActions, RoleRequest } from './role-actions.js';
import { clientIp } from '../issuance/role-request.js';
import type { Views } from './views.js';
import { csrfToken } from './middleware/csrf.js';
import { isoSeconds } from '../iso-time.js';
import { shellQuote } from '../shell-quote.js';
import { resolveDestination } from '../console/destinations.js';
import { consoleLoginUrl, getSigninToken } from '../console/federation.js';

/**
 * "Open console" and "Get CLI credentials" for the browser. Each posts once and does its STS work
 * once: nothing here is retried on the user's behalf (STS's own throttling retries aside).
 */
export function createRoleActions(deps: {
  config: BridgeConfig;
  credentials: CredentialIssuer;
  views: Views;
  fetch?: typeof fetch;
}): RoleActions {
  const { config, credentials, views } = deps;
  const { alibaba } = config;

  return {
    async openConsole(ctx: Context, request: RoleRequest) {
      const { role } = request.choice;
      const body = (ctx.request.body ?? {}) as Record<string, unknown>;
      const destination = resolveDestination(body.destination, role, alibaba);

      if (role.console === 'saml-post') {
        // The browser carries the assertion to the role-SSO endpoint; no STS call from here.
        const samlResponse = credentials.consoleAssertion({ ...request, channel: 'web-console', clientIp: clientIp(ctx) });
        (ctx.state.formActions as string[]).push(new URL(alibaba.roleSsoUrl).origin);
        ctx.type = 'html';
        ctx.body = views.render('console-post', {
          title: 'Opening the console',
          role,
          action: alibaba.roleSsoUrl,
          samlResponse: Buffer.from(samlResponse).toString('base64'),
          relayState: destination,
          user: ctx.state.user,
          csrf: csrfToken(ctx),
          scripts: ['/assets/page.js'],
        });
        return;
      }

      const issued = await credentials.issue({ ...request, channel: 'web-console', clientIp: clientIp(ctx) });
      // Minted at redirect time: a sign-in token lives 30 seconds and works once.
      const signinToken = await getSigninToken(alibaba.signinUrl, issued.credentials, deps.fetch);
      ctx.redirect(
        consoleLoginUrl(alibaba.signinUrl, {
          signinToken,
          destination,
          loginUrl: `${config.server.publicUrl}/roles/${role.id}`,
        }),
      );
    },

    async showCredentials(ctx: Context, request: RoleRequest) {
      const issued = await credentials.issue({ ...request, channel: 'web-credentials', clientIp: clientIp(ctx) });
      ctx.set('Cache-Control', 'no-store');
      ctx.set('Pragma', 'no-cache');
      ctx.type = 'html';
      ctx.body = views.render('credentials', {
        title: `Credentials for ${request.choice.role.id}`,
        role: request.choice.role,
        ...credentialsView(issued, request.choice.role.id),
        user: ctx.state.user,
        csrf: csrfToken(ctx),
        scripts: ['/assets/page.js'],
      });
    },
  };
}

/** The three ways the page offers the credentials: shell exports, an Alibaba CLI profile, the expiry. */
export function credentialsView(issued: IssuedCredentials, roleId: string) {
  const { credentials } = issued;
  const expiration = isoSeconds(credentials.expiration);
  const profileName = `rambridge-${roleId}`;
  return {
    roleSessionName: issued.roleSessionName,
    expiration,
    expirationUtc: `${expiration.replace('T', ' ').replace('Z', '')} UTC`,
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
        language: 'en',
      },
      null,
      2,
    ),
  };
}
