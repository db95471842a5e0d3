import type { Command } from 'commander';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { interactiveLogin } from '../client/interactive-login.js';
import { formatRemaining } from '../client/duration.js';
import { t } from '../i18n/index.js';

interface LoginOptions extends CommonOptions {
  browser: boolean;
  qr?: boolean;
}

export function registerLogin(program: Command): void {
  clientCommand(program, 'login', 'sign in through your company login page in a browser (OAuth device flow)')
    .option('--no-browser', 'only print the link (also: RAMBRIDGE_NO_BROWSER=1; automatic over SSH)')
    .option('--qr', 'also print a QR code of the link, to approve on a phone (printed above the code, which stays in view)')
    .action((options: LoginOptions) =>
      runClient(options, async (ctx) => {
        const server = await serverFor(ctx, options.server);
        const { user } = await interactiveLogin(ctx, server, options, process.stderr);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ server, user })}\n`);
          return;
        }
        const who = user.email ?? user.name ?? user.subject;
        const until = user.sessionExpiresAt
          ? t('signedInFor', { remaining: formatRemaining(Date.parse(user.sessionExpiresAt) - ctx.clock.now()) })
          : '';
        process.stderr.write(`${t('signedIn', { server, who, idp: user.idp, until })}\n${t('nextRoles')}\n`);
      }),
    );
}
