import { formatError } from './error-format.js';
import { ConfigInvalid, formatProblem } from '../config/index.js';
import { t } from './i18n/index.js';

/** Exit code for a configuration that does not validate: nothing was started. */
export const EXIT_CONFIG = 2;

/**
 * Prints every configuration problem and exits 2; rethrows anything else. With `json` (a command's
 * `--json`), one JSON object on stderr, as the client commands report errors. The sentence around
 * the problems is in the CLI's language; each problem (`path: message`) stays as src/config/ wrote
 * it, in English, as the server logs it.
 */
export function exitOnConfigProblems(err: unknown, options: { json?: boolean } = {}): never {
  if (err instanceof ConfigInvalid && options.json) {
    const message = t('configInvalid', { source: err.source });
    process.stderr.write(`${JSON.stringify({ error: { code: err.code, message, problems: err.problems, exitCode: EXIT_CONFIG } })}\n`);
    process.exit(EXIT_CONFIG);
  }
  if (err instanceof ConfigInvalid) {
    process.stderr.write(
      formatError(
        err.problems.length === 1
          ? t('configInvalidProblem', { source: err.source })
          : t('configInvalidProblems', { source: err.source, count: err.problems.length }),
      ),
    );
    process.stderr.write(`${err.problems.map(formatProblem).join('\n')}\n`);
    process.exit(EXIT_CONFIG);
  }
  throw err;
}
