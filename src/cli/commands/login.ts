import type { Command } from 'commander';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { interactiveLogin } from '../client/interactive-login.js';
import { formatRemaining } from '../client/duration.js';
import { t } from '../i18n/index.js';
import { helpText } from '../i18n/help.js';
import { printable } from '../client/printable.js';

interface LoginOptions extends CommonOptions {
  browser: boolean;
  qr?: boolean;
}

export function registerLogin(program: Command): void {
  clientCommand(program, 'login', helpText('login.description'))
    .option('--no-browser', helpText('login.noBrowser'))
    .option('--qr', helpText('login.qr'))
    .action((options: LoginOptions) =>
      runClient(options, async (ctx) => {
        const server = await serverFor(ctx, options.server);
        const { user, sessionEndsAt } = await interactiveLogin(ctx, server, options, process.stderr);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ server, user })}\n`);
          return;
        }
        const who = user.email ?? user.name ?? user.subject;
        const until = sessionEndsAt === undefined ? '' : t('signedInFor', { remaining: formatRemaining(sessionEndsAt - ctx.clock.now()) });
        process.stderr.write(printable(`${t('signedIn', { server, who, idp: user.idp, until })}\n${t('nextRoles')}\n`));
      }),
    );
}
