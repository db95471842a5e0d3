import type { Command } from 'commander';
import { clientCommand, runClient, withCredentialOptions, type CredentialOptions } from '../client/command.js';
import { serverFor } from '../client/context.js';
import { profileRegion } from '../client/aliyun-config.js';
import { credentialEnvironment, REGION_NAMES } from '../client/credential-env.js';
import { credentialQuery, useCredentials } from '../client/credential-source.js';
import { runChild } from '../client/run-child.js';
import { helpText } from '../i18n/help.js';

export function registerExec(program: Command): void {
  withCredentialOptions(clientCommand(program, 'exec', helpText('exec.description')))
    .usage('[options] <role> -- <command> [args...]')
    .argument('<role>', helpText('arg.role'))
    .argument('<command...>', helpText('exec.command'))
    .action((role: string, command: string[], options: CredentialOptions) =>
      runClient(options, async (ctx) => {
        const server = await serverFor(ctx, options.server);
        const obtained = await useCredentials(ctx, credentialQuery(server, role, options));
        const [file, ...args] = command as [string, ...string[]];
        const region = await profileRegion(ctx.paths.aliyunConfig, ctx.env, REGION_NAMES);
        await runChild(file, args, credentialEnvironment(obtained, region));
      }),
    );
}
