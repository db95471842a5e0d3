import type { Command } from 'commander';
import { clientCommand, runClient, type CommonOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { formatLocalTime, formatRemaining } from '../client/duration.js';
import { offlineJson, offlineNote, whoamiOrCached } from '../client/offline.js';
import { t } from '../i18n/index.js';
import { alignLabels } from '../i18n/width.js';
import { helpText } from '../i18n/help.js';
import { printable } from '../client/printable.js';

export function registerWhoami(program: Command): void {
  clientCommand(program, 'whoami', helpText('whoami.description')).action((options: CommonOptions) =>
    runClient(options, async (ctx) => {
      const server = await serverFor(ctx, options.server);
      const { value: me, cachedAt, sessionEndsAt } = await whoamiOrCached(ctx, server);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ server, ...me, ...offlineJson(cachedAt) })}\n`);
        return;
      }
      if (cachedAt !== undefined) process.stderr.write(`${offlineNote(cachedAt)}\n`);
      const [serverL, viaL, groupsL, methodsL, sessionL] = alignLabels(
        t('whoamiServer'),
        t('whoamiVia'),
        t('whoamiGroups'),
        t('whoamiMethods'),
        t('whoamiSession'),
      );
      const lines = [
        `${me.name ? `${me.name} ` : ''}${me.email ? `<${me.email}>` : me.subject}`,
        `  ${serverL}${server}`,
        `  ${viaL}${t('whoamiViaValue', { idp: me.idp, issuer: me.issuer, subject: me.subject })}`,
        `  ${groupsL}${me.groups.length ? me.groups.join(', ') : t('whoamiNoGroups')}`,
      ];
      if (me.amr?.length) lines.push(`  ${methodsL}${me.amr.join(', ')}`);
      // By this machine's clock (role-book.ts sessionEndsLocally), as the time left is counted.
      if (sessionEndsAt !== undefined) {
        const remaining = formatRemaining(sessionEndsAt - ctx.clock.now());
        lines.push(`  ${sessionL}${t('whoamiUntil', { time: formatLocalTime(sessionEndsAt), remaining })}`);
      }
      process.stdout.write(printable(`${lines.join('\n')}\n`));
    }),
  );
}
