import type { Command } from 'commander';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { revokeToken } from '../client/oauth.js';
import { t } from '../i18n/index.js';
import { helpText } from '../i18n/help.js';

export function registerLogout(program: Command): void {
  clientCommand(program, 'logout', helpText('logout.description')).action((options: CommonOptions) =>
    runClient(options, async (ctx) => {
      const server = await serverFor(ctx, options.server);
      const session = await ctx.sessions.get(server);
      // Revoking the refresh token ends the whole session server-side; the access token dies with it.
      const revoked = session?.revocationEndpoint
        ? await revokeToken(ctx.fetch, session.revocationEndpoint, session.refreshToken, 'refresh_token')
        : false;
      await ctx.sessions.remove(server);
      await ctx.cache.removeServer(server);
      await ctx.roleBook.forgetCatalogue(server);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ server, wasLoggedIn: session !== undefined, revoked })}\n`);
      } else if (!session) {
        process.stderr.write(`${t('notLoggedOut', { server })}\n`);
      } else {
        process.stderr.write(`${t('loggedOut', { server, note: revoked ? '' : t('loggedOutUntold') })}\n`);
      }
    }),
  );
}
