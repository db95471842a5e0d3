import { Argument, Option, type Command } from 'commander';
import { createContext } from '../client/context.js';
import { chooseServer } from '../client/server-url.js';
import { completionScript, completionSpec, SHELLS, type Shell } from '../completion-scripts.js';
import { helpText } from '../i18n/help.js';
import { ID_PATTERN } from '../../wire/api.js';

/** `rambridge completion bash|zsh|fish`: prints the shell's completion script (and a prompt function). */
export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description(helpText('completion.description'))
    .addArgument(new Argument('[shell]', helpText('completion.shell')).choices(SHELLS))
    // What the scripts call to complete role names: the cached list only, so a Tab never waits on the network.
    .addOption(new Option('--list-roles', helpText('completion.listRoles')).hideHelp())
    .action(async (shell: Shell | undefined, opts: { listRoles?: boolean }) => {
      if (opts.listRoles) {
        process.stdout.write((await cachedRoleIds()).map((id) => `${id}\n`).join(''));
        return;
      }
      if (!shell) {
        program.commands.find((c) => c.name() === 'completion')?.help({ error: true });
        return;
      }
      process.stdout.write(completionScript(shell, completionSpec(program)));
    });
}

/**
 * The ids of the last role list seen for the default server; none when nothing is cached. Only ids
 * of the server's own form: a list cached by an older client was not checked as it was saved.
 */
async function cachedRoleIds(): Promise<string[]> {
  const ctx = createContext();
  try {
    const server = chooseServer(undefined, ctx.env, (await ctx.settings.read())?.server);
    return (await ctx.roleBook.get(server)).catalogue?.roles.map((r) => r.id).filter((id) => ID_PATTERN.test(id)) ?? [];
  } catch {
    // No server configured, or a file we may not read: complete nothing rather than print an error mid-line.
    return [];
  }
}
