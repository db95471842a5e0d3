import { formatError } from '../error-format.js';
import { CliError, EXIT } from './errors.js';
import type { OutputStream } from './progress.js';
import { t } from '../i18n/index.js';

/**
 * Prints an error the way every client command does: one line, a hint, the request id to quote —
 * or one JSON object with `--json`. Returns the exit code. A stack trace only for bugs, and only
 * with RAMBRIDGE_DEBUG set.
 */
export function reportError(err: unknown, options: { json: boolean; stream: OutputStream; env: NodeJS.ProcessEnv }): number {
  const known = err instanceof CliError;
  const message = known ? err.message : t('unexpected', { detail: err instanceof Error ? err.message : String(err) });
  const hint = known ? err.hint : t('bugHint');
  const exitCode = known ? err.exitCode : EXIT.GENERIC;
  if (options.json) {
    const error = {
      code: known ? err.code : 'ERR_CLI_INTERNAL',
      message,
      hint,
      serverCode: known ? err.serverCode : undefined,
      requestId: known ? err.requestId : undefined,
      exitCode,
    };
    options.stream.write(`${JSON.stringify({ error })}\n`);
  } else {
    options.stream.write(formatError(message, { hint, requestId: known ? err.requestId : undefined }));
  }
  if (options.env.RAMBRIDGE_DEBUG && err instanceof Error) options.stream.write(`${err.stack}\n`);
  return exitCode;
}
