import { printable } from './client/printable.js';

/** Every error the `rambridge` command prints starts with this, whatever the command: users and
 * scripts grepping logs find them all, and it matches commander's own `error: …` usage messages. */
export const ERROR_PREFIX = 'rambridge: error: ';

/**
 * The lines of one error as every command prints it: the message, then what to do next, then the
 * request id to quote to an administrator. No indentation, so each line stands alone in a log.
 */
export function formatError(message: string, details: { hint?: string; requestId?: string } = {}): string {
  let text = `${ERROR_PREFIX}${message}\n`;
  if (details.hint) text += `hint: ${details.hint}\n`;
  if (details.requestId) text += `request id: ${details.requestId}\n`;
  // Messages and hints carry a server's words (its error_description, a name it sent).
  return printable(text);
}
