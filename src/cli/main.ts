import { CommanderError, type Command } from 'commander';
import { EXIT } from './client/errors.js';
import { reportError } from './client/report.js';
import { CLIENT_VERSION } from './client/version.js';
import { registerCommands } from './commands/index.js';
import { addHelpExamples } from './help-examples.js';
import { RambridgeCommand } from './help-format.js';
import { helpText } from './i18n/help.js';
import { portInUse } from './port-in-use.js';
import { cliLanguage, useLanguage } from './i18n/index.js';
import { typedCommands, usageError, wantsJson } from './usage-error.js';

/** Entry point of the `rambridge` command (bin/rambridge.js). */
export async function main(argv: string[]): Promise<void> {
  useLanguage(cliLanguage(process.env));
  const program = createProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    // The help, shown for a command line that named no command: said already.
    if (err instanceof CommanderError && err.code === 'commander.help') return void (process.exitCode = EXIT.USAGE);
    // Client commands report their own errors; this is everything else (a usage error, server
    // commands, a port in use, a bad flag value found inside an action): the same one line and
    // hint, no stack trace, or one JSON object when the command line asks for JSON.
    const typed = typedCommands(program, argv);
    const name = typed.map((c) => c.name()).join(' ') || undefined;
    const known = err instanceof CommanderError ? usageError(err, name) : (portInUse(err) ?? err);
    process.exitCode = reportError(known, { json: wantsJson(typed.at(-1), argv), stream: process.stderr, env: process.env });
  }
}

/** Help and version end the process there (exit 0); any other stop is a usage error for main() to report. */
function exitOnHelp(err: CommanderError): never {
  if (err.exitCode === 0) process.exit(EXIT.OK);
  throw err;
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
    // Commander's own messages ("error: unknown option…") are not printed by commander: main()
    // reports them in the CLI's language, with a hint, as text or JSON (usage-error.ts), exit 2.
    // Every command registered below inherits both settings.
    .configureOutput({ outputError: () => undefined })
    .exitOverride(exitOnHelp);
  registerCommands(program);
  addHelpExamples(program);
  return program;
}
