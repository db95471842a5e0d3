import { resolve } from 'node:path';

/**
 * The command line an `External` profile runs to get credentials: the absolute node binary and
 * the absolute `rambridge` script, because the aliyun CLI and the SDKs run it without a shell,
 * from any directory, sometimes without the user's PATH (IDEs, cron).
 *
 * Arguments are quoted only when they must be: older aliyun CLIs split `process_command` on
 * whitespace without understanding quotes, newer ones and credentials-nodejs split like a POSIX
 * shell. Plain paths therefore work with every version.
 */
export function processCommand(args: readonly string[], runtime: { execPath: string; script: string } = currentRuntime()): string {
  return [runtime.execPath, runtime.script, ...args].map(quoteArg).join(' ');
}

function currentRuntime(): { execPath: string; script: string } {
  // argv[1] as invoked (not its realpath): an npm-installed bin symlink survives upgrades.
  return { execPath: process.execPath, script: resolve(process.argv[1] ?? 'rambridge') };
}

function quoteArg(arg: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  return `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}
