import { Option, type Command } from 'commander';
import { openBrowser, shouldOpenBrowser } from '../client/browser.js';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { findRole } from '../client/credential-source.js';
import { notLoggedIn } from '../client/errors.js';
import { userKey } from '../client/sessions.js';
import { t } from '../i18n/index.js';
import { helpText } from '../i18n/help.js';
import { printable } from '../client/printable.js';

interface ConsoleOptions extends CommonOptions {
  service?: string;
  destination?: string;
  browser: boolean;
}

/**
 * Opens the Alibaba Cloud console as a role, in a new browser tab: the server's launch page
 * (`/roles/<id>/console`), which submits the console sign-in form by itself when the browser says
 * the tab was opened by the user (not by another site). The sign-in stays a browser flow of the
 * server on purpose: the server checks the destination against its allow-list, chooses federation
 * or SAML POST per role, and audits it; a sign-in token minted here would bypass all three, and a
 * URL carrying it would sit in `ps`. Elevated roles stop on that page for a justification.
 */
export function registerConsole(program: Command): void {
  clientCommand(program, 'console', helpText('console.description'))
    .argument('<role>', helpText('arg.role'))
    .addOption(new Option('-s, --service <name>', helpText('console.service')).conflicts('destination'))
    .option('--destination <url>', helpText('console.destination'))
    .option('--no-browser', helpText('console.noBrowser'))
    .action((query: string, options: ConsoleOptions) =>
      runClient(options, async (ctx) => {
        const server = await serverFor(ctx, options.server);
        const session = await ctx.sessions.get(server);
        if (!session) throw notLoggedIn(server);
        const role = await findRole(ctx, server, userKey(session.user), query);
        const url = new URL(`${server}/roles/${encodeURIComponent(role.id)}/console`);
        const service = options.service?.trim().toLowerCase();
        if (service) url.searchParams.set('service', service);
        else if (options.destination) url.searchParams.set('destination', options.destination);
        const opening = shouldOpenBrowser(ctx.env, process.platform, !options.browser);
        if (opening) openBrowser(url.href);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ role: role.id, ...(service ? { service } : {}), url: url.href, opened: opening })}\n`);
          return;
        }
        const where = service
          ? t('consoleWhereService', { service })
          : options.destination
            ? t('consoleWherePage', { destination: options.destination })
            : t('consoleWhereHome');
        process.stdout.write(
          printable(
            `${t(opening ? 'consoleOpening' : 'consoleOpen', { url: url.href, where, role: role.id, account: role.accountName })}\n`,
          ),
        );
      }),
    );
}
