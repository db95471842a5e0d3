import { createInterface } from 'node:readline';
import { CliError } from './errors.js';
import { printable } from './printable.js';
import type { OutputStream } from './progress.js';
import { sentences, t } from '../i18n/index.js';

/** Where a question is asked and answered: stdin and stderr (stdout may be piped to a tool). */
export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: OutputStream;
}

/** Errors a new login fixes: the session ended, or the role needs a fresh sign-in at the IdP. */
export function loginFixes(err: unknown): err is CliError {
  return err instanceof CliError && (err.code === 'ERR_CLI_SESSION_ENDED' || err.code === 'ERR_CLI_REAUTH_REQUIRED');
}

/**
 * Whether a person is there to answer: stdin and stderr both terminals, no `--json`, not CI.
 * Anything else (a pipe, cron, the aliyun CLI capturing our output) must never wait for input:
 * it gets exit 3 and the hint at once.
 */
export function canAsk(term: Terminal, json: boolean, env: NodeJS.ProcessEnv): boolean {
  return !json && term.input.isTTY === true && term.output.isTTY === true && !env.CI;
}

/** Asks a yes/no question whose default is yes: Enter or "y" is yes; "n", or the input closing (Ctrl+D), is no. */
export async function askYesNo(question: string, term: Terminal): Promise<boolean> {
  term.output.write(question);
  const lines = createInterface({ input: term.input, terminal: false });
  try {
    const answer = await new Promise<string | undefined>((resolve) => {
      lines.once('line', resolve);
      lines.once('close', () => resolve(undefined));
    });
    if (answer === undefined) term.output.write('\n');
    return answer !== undefined && /^\s*(y|yes)?\s*$/i.test(answer);
  } finally {
    lines.close();
  }
}

/**
 * On a terminal, offers to log in again when the session has ended ("Log in again? [Y/n]") and
 * runs the login on yes. Returns whether it did; the caller then runs the command again.
 */
export async function offerLogin(
  err: unknown,
  options: { term: Terminal; json: boolean; env: NodeJS.ProcessEnv; login: () => Promise<unknown> },
): Promise<boolean> {
  if (!loginFixes(err) || !canAsk(options.term, options.json, options.env)) return false;
  // The message may be the server's words; a terminal must show them, not act on them.
  if (!(await askYesNo(printable(sentences(err.message, t('logInAgain'))), options.term))) return false;
  await options.login();
  return true;
}
