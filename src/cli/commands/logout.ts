import type { Command } from 'commander';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { logOut } from '../client/logout.js';
import { t } from '../i18n/index.js';
import { helpText } from '../i18n/help.js';

export function registerLogout(program: Command): void {
  clientCommand(program, 'logout', helpText('logout.description')).action((options: CommonOptions) =>
    runClient(options, async (ctx) => {
      const server = await serverFor(ctx, options.server);
      const { wasLoggedIn, revoked, clearedProfiles, profilesNotCleared } = await logOut(ctx, server);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ server, wasLoggedIn, revoked, clearedProfiles, profilesNotCleared })}\n`);
        return;
      }
      if (wasLoggedIn) process.stderr.write(`${t('loggedOut', { server, note: revoked ? '' : t('loggedOutUntold') })}\n`);
      else if (clearedProfiles.length === 0 && !profilesNotCleared) process.stderr.write(`${t('notLoggedOut', { server })}\n`);
      if (clearedProfiles.length > 0) {
        process.stderr.write(`${t('loggedOutProfiles', { profiles: clearedProfiles.join(', '), path: ctx.paths.aliyunConfig })}\n`);
      }
      if (profilesNotCleared) process.stderr.write(`${t('loggedOutProfilesNotCleared', profilesNotCleared)}\n`);
    }),
  );
}
