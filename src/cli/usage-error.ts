import type { Command, CommanderError } from 'commander';
import { CliError } from './client/errors.js';
import { t } from './i18n/index.js';
import type { MessageKey } from './i18n/en.js';

/**
 * Commander's usage errors in the CLI's language, as one CliError (`ERR_CLI_USAGE`, exit 2), so
 * they are reported like every other error: one line and a hint, or one JSON object with `--json`.
 * Commander's sentences are stable and carry what they name in quotes; each kind has its pattern
 * here. A sentence no pattern reads (a newer commander, a message of our own argument parsers)
 * is kept as it is.
 */
const PATTERNS: Partial<Record<string, { pattern: RegExp; key: MessageKey; names: string[] }>> = {
  'commander.missingArgument': { pattern: /^missing required argument '(.+)'$/, key: 'usageMissingArgument', names: ['name'] },
  'commander.optionMissingArgument': { pattern: /^option '(.+)' argument missing$/, key: 'usageOptionMissingValue', names: ['option'] },
  'commander.missingMandatoryOptionValue': {
    pattern: /^required option '(.+)' not specified$/,
    key: 'usageRequiredOption',
    names: ['option'],
  },
  'commander.unknownOption': { pattern: /^unknown option '(.+?)'$/, key: 'usageUnknownOption', names: ['option'] },
  'commander.unknownCommand': { pattern: /^unknown command '(.+?)'$/, key: 'usageUnknownCommand', names: ['command'] },
  'commander.conflictingOption': {
    pattern: /^option '(.+)' cannot be used with option '(.+)'$/,
    key: 'usageConflict',
    names: ['option', 'other'],
  },
  'commander.excessArguments': {
    pattern: /^too many arguments.*Expected (\d+) arguments? but got (\d+)\.$/,
    key: 'usageTooManyArguments',
    names: ['expected', 'got'],
  },
};

/** A value refused: commander's choices ("Allowed choices are …") or one of our own argument parsers' reasons. */
const INVALID = /^(?:option '(.+)' argument|command-argument value) '(.*)' is invalid(?: for argument '(.+)')?\. (.+)$/;
const ALLOWED = /^Allowed choices are (.+)\.$/;

/** The CliError for a usage error commander found in `argv`; `command` is the subcommand typed, if any. */
export function usageError(err: CommanderError, command: string | undefined): CliError {
  // "error: …", then possibly "\n(Did you mean --json?)".
  const [sentence = '', suggestion] = err.message.replace(/^error: /, '').split('\n');
  const message = translated(err.code, sentence) ?? sentence;
  const hint = command === 'exec' ? t('execUsageHint') : command ? t('usageHint', { command }) : t('usageHintProgram');
  const didYouMean = suggestion && /\(Did you mean (.+)\?\)/.exec(suggestion)?.[1];
  return new CliError('ERR_CLI_USAGE', didYouMean ? t('usageDidYouMean', { message, suggestion: didYouMean }) : message, { hint });
}

function translated(code: string, sentence: string): string | undefined {
  if (code === 'commander.invalidArgument') {
    const invalid = INVALID.exec(sentence);
    if (!invalid) return undefined;
    const [, option, value = '', argument = '', reason = ''] = invalid;
    const name = option ? flagOf(option) : argument;
    const choices = ALLOWED.exec(reason)?.[1];
    return choices ? t('usageInvalidChoice', { name, value, choices }) : t('usageInvalidValue', { name, value, reason });
  }
  const known = PATTERNS[code];
  const match = known?.pattern.exec(sentence);
  if (!known || !match) return undefined;
  const isFlag = (name: string) => name === 'option' || name === 'other';
  return t(known.key, Object.fromEntries(known.names.map((name, i) => [name, isFlag(name) ? flagOf(match[i + 1]!) : match[i + 1]!])));
}

/** An option as typed (`--duration`) out of its declaration (`-d, --duration <time>`). */
function flagOf(flags: string): string {
  return /--[\w-]+/.exec(flags)?.[0] ?? flags.split(/[ ,]/)[0]!;
}

/**
 * The commands typed, outermost first (`keys generate` is [keys, generate]): commander stopped
 * before saying which it was parsing.
 */
export function typedCommands(program: Command, argv: readonly string[]): Command[] {
  const path: Command[] = [];
  let current = program;
  for (const arg of argv.slice(2)) {
    if (arg === '--') break;
    const sub = current.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (sub) path.push((current = sub));
  }
  return path;
}

/**
 * Whether the command line asks for JSON: the command typed has `--json`, and `--json` stands on
 * its own before any `--` (not the value of the option before it, as in `--justification --json`).
 */
export function wantsJson(command: Command | undefined, argv: readonly string[]): boolean {
  if (!command?.options.some((o) => o.long === '--json')) return false;
  const takesValue = (arg: string) => command.options.some((o) => (o.long === arg || o.short === arg) && (o.required || o.optional));
  const args = argv.slice(2);
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((arg, i, all) => arg === '--json' && !(i > 0 && takesValue(all[i - 1]!)));
}
