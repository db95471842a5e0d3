import type { Command } from 'commander';
import { createContext, serverFor, type ClientContext } from './context.js';
import { interactiveLogin } from './interactive-login.js';
import { offerLogin } from './relogin.js';
import { reportError } from './report.js';
import { helpText } from '../i18n/help.js';

/** Options every client command has. */
export interface CommonOptions {
  server?: string;
  json?: boolean;
}

/**
 * Declares a client command: `--server` and `--json` on each. A usage error prints one line and a
 * hint (or one JSON object) and exits 2: the program's settings, which every command inherits
 * (main.ts, usage-error.ts).
 */
export function clientCommand(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .option('--server <url>', helpText('opt.server'))
    .option('--json', helpText('opt.jsonErrors'));
}

/** Runs a command's body with a fresh context; expected errors become one line and an exit code. */
export async function runClient<O extends CommonOptions>(
  options: O,
  body: (ctx: ClientContext, options: O) => Promise<void>,
): Promise<void> {
  const ctx = createContext();
  const json = options.json === true;
  try {
    await body(ctx, options);
  } catch (err) {
    let failure = err;
    try {
      const login = async () => interactiveLogin(ctx, await serverFor(ctx, options.server), { browser: true }, process.stderr);
      // A person at a terminal whose session ended: log in and carry on, rather than retype the command.
      if (await offerLogin(err, { term: { input: process.stdin, output: process.stderr }, json, env: ctx.env, login })) {
        await body(createContext(), options);
        return;
      }
    } catch (again) {
      failure = again;
    }
    process.exitCode = reportError(failure, { json, stream: process.stderr, env: ctx.env });
  }
}

/** Options of the commands that obtain credentials (`creds`, `exec`, `credential-server`). */
export interface CredentialOptions extends CommonOptions {
  duration?: string;
  justification?: string;
}

export function withCredentialOptions(command: Command): Command {
  return command.option('-d, --duration <time>', helpText('opt.duration')).option('--justification <text>', helpText('opt.justification'));
}
