import type { Command } from 'commander';
import { openBrowser, shouldOpenBrowser } from '../client/browser.js';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { findRole } from '../client/credential-source.js';
import { notLoggedIn } from '../client/errors.js';
import { userKey } from '../client/sessions.js';
import { t } from '../i18n/index.js';

interface ConsoleOptions extends CommonOptions {
  destination?: string;
  browser: boolean;
}

/**
 * Opens the role's page of the web picker (`/roles/<id>`), where one click opens the console.
 * The console sign-in stays a browser flow of the server on purpose: the server checks the
 * destination against its allow-list, chooses federation or SAML POST per role, and audits it;
 * a sign-in token minted here would bypass all three, and a URL carrying it would sit in `ps`.
 */
export function registerConsole(program: Command): void {
  clientCommand(program, 'console', "open a role's page in the browser, one click from its Alibaba Cloud console")
    .argument('<role>', 'role id, alias or unique fuzzy match')
    .option('--destination <url>', 'console page to land on (one the server allows), passed to the role page')
    .option('--no-browser', 'only print the link')
    .action((query: string, options: ConsoleOptions) =>
      runClient(options, async (ctx) => {
        const server = await serverFor(ctx, options.server);
        const session = await ctx.sessions.get(server);
        if (!session) throw notLoggedIn(server);
        const role = await findRole(ctx, server, userKey(session.user), query);
        const url = new URL(`${server}/roles/${encodeURIComponent(role.id)}`);
        if (options.destination) url.searchParams.set('destination', options.destination);
        const opening = shouldOpenBrowser(ctx.env, process.platform, !options.browser);
        if (opening) openBrowser(url.href);
        if (options.json) process.stdout.write(`${JSON.stringify({ role: role.id, url: url.href, opened: opening })}\n`);
        else
          process.stdout.write(
            `${t(opening ? 'consoleOpening' : 'consoleOpen', { url: url.href, role: role.id, account: role.accountName })}\n`,
          );
      }),
    );
}
