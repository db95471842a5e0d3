import type { Command } from 'commander';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { formatRemaining } from '../client/duration.js';
import { offlineJson, offlineNote, whoamiOrCached } from '../client/offline.js';

export function registerWhoami(program: Command): void {
  clientCommand(program, 'whoami', 'show who you are signed in as, your groups, and when the session ends').action(
    (options: CommonOptions) =>
      runClient(options, async (ctx) => {
        const server = await serverFor(ctx, options.server);
        const { value: me, cachedAt } = await whoamiOrCached(ctx, server);
        if (options.json) {
          process.stdout.write(`${JSON.stringify({ server, ...me, ...offlineJson(cachedAt) })}\n`);
          return;
        }
        if (cachedAt !== undefined) process.stderr.write(`${offlineNote(cachedAt)}\n`);
        const lines = [
          `${me.name ? `${me.name} ` : ''}${me.email ? `<${me.email}>` : me.subject}`,
          `  server   ${server}`,
          `  via      ${me.idp} (${me.issuer}), subject ${me.subject}`,
          `  groups   ${me.groups.length ? me.groups.join(', ') : '(none)'}`,
        ];
        if (me.amr?.length) lines.push(`  methods  ${me.amr.join(', ')}`);
        if (me.sessionExpiresAt) {
          lines.push(
            `  session  until ${new Date(me.sessionExpiresAt).toLocaleString()} (${formatRemaining(Date.parse(me.sessionExpiresAt) - ctx.clock.now())} left)`,
          );
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
  );
}
