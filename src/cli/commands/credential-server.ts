import type { Command } from 'commander';
import { clientCommand, runClient, withCredentialOptions, type CredentialOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { credentialQuery, laterCredentials, useCredentials, type ObtainedCredentials } from '../client/credential-source.js';
import { sayIfCut } from '../client/cut-notice.js';
import { expiresLocally } from '../client/credential-cache.js';
import { formatRemaining } from '../client/duration.js';
import { startCredentialServer } from '../client/credential-server.js';
import { CliError } from '../client/errors.js';
import { shellQuote } from '../../shell-quote.js';
import { t } from '../i18n/index.js';
import { helpText } from '../i18n/help.js';

interface ServerOptions extends CredentialOptions {
  role: string;
  port: string;
}

/** The line each request served prints: the time left is counted as reuse counts it (`expiresLocally`). */
export function servedLine(obtained: ObtainedCredentials, now: number): string {
  return `served ${obtained.role.id} (${formatRemaining(expiresLocally(obtained) - now)} left${obtained.fromCache ? ', cached' : ', new'})\n`;
}

export function registerCredentialServer(program: Command): void {
  withCredentialOptions(clientCommand(program, 'credential-server', helpText('credentialServer.description')))
    .requiredOption('-r, --role <role>', helpText('arg.role'))
    .option('-p, --port <port>', helpText('credentialServer.port'), '0')
    .action((options: ServerOptions) =>
      runClient(options, async (ctx) => {
        const port = Number(options.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError('ERR_CLI_USAGE', t('notPort', { port: options.port }));
        const server = await serverFor(ctx, options.server);
        const request = credentialQuery(server, options.role, options);
        // Fail now, not at the first tool's request, if the role or the login is wrong.
        const first = await useCredentials(ctx, request);
        const later = laterCredentials(ctx, request, first);
        const running = await startCredentialServer({
          port,
          credentials: async () => {
            const obtained = await later();
            sayIfCut(obtained, server);
            process.stderr.write(servedLine(obtained, ctx.clock.now()));
            return obtained;
          },
          log: (line) => process.stderr.write(`${line}\n`),
        });
        process.stdout.write(
          options.json
            ? `${JSON.stringify({ uri: running.uri, role: first.role.id })}\n`
            : `export ALIBABA_CLOUD_CREDENTIALS_URI=${shellQuote(running.uri)}\n`,
        );
        process.stderr.write(`${t('serving', { role: first.role.id })}\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await running.close();
      }),
    );
}
