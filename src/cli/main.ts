import { CommanderError, type Command } from 'commander';
import { CliError, EXIT } from './client/errors.js';
import { reportError } from './client/report.js';
import { CLIENT_VERSION } from './client/version.js';
import { registerCommands } from './commands/index.js';
import { ERROR_PREFIX } from './error-format.js';
import { addHelpExamples } from './help-examples.js';
import { RambridgeCommand } from './help-format.js';
import { helpText } from './i18n/help.js';
import { portInUse } from './port-in-use.js';
import { cliLanguage, useLanguage } from './i18n/index.js';

/** Entry point of the `rambridge` command (bin/rambridge.js). */
export async function main(argv: string[]): Promise<void> {
  useLanguage(cliLanguage(process.env));
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // Client commands report their own errors; this is everything else (server commands, a port in
    // use, a bad flag value found inside an action): the same one line and hint, no stack trace.
    const known =
      err instanceof CommanderError ? new CliError('ERR_CLI_USAGE', err.message.replace(/^error: /, '')) : (portInUse(err) ?? err);
    process.exitCode = reportError(known, { json: false, stream: process.stderr, env: process.env });
  }
}

/**
 * Every command with its options, help and examples, ready to parse (tests walk it). The help is
 * in the language of useLanguage(), so main() calls that first. Settings made here before the
 * commands are registered (help option, help command, help class) are inherited by all of them.
 */
export function createProgram(): Command {
  const program = new RambridgeCommand('rambridge')
    .description(helpText('program'))
    .version(CLIENT_VERSION, '-V, --version', helpText('opt.version'))
    .helpOption('-h, --help', helpText('opt.help'))
    .helpCommand('help [command]', helpText('cmd.help'))
    // Commander's own messages ("error: unknown option…") get the prefix every other error has.
    .configureOutput({ outputError: (text, write) => write(`${ERROR_PREFIX}${text.replace(/^error: /, '')}`) })
    .showHelpAfterError()
    // A usage error exits 2 like the client commands' (commander's own 1 would look like a failure).
    .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.OK : EXIT.USAGE));
  registerCommands(program);
  addHelpExamples(program);
  return program;
}
