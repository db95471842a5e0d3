import { t } from '../i18n/index.js';

/**
 * Errors of the `rambridge` client commands. Each has a stable code (scripts switch on it with
 * `--json`), one human sentence, an optional hint, and the exit code the shell sees. Expected
 * failures never print a stack trace; see `report.ts`.
 */

/** Exit codes: distinct per kind of failure so scripts can tell "log in again" from "retry later". */
export const EXIT = {
  OK: 0,
  GENERIC: 1,
  USAGE: 2,
  NOT_LOGGED_IN: 3,
  NOT_ALLOWED: 4,
  UNAVAILABLE: 5,
  LOGIN_FAILED: 6,
  /** `exec` could not start the command: the shell's convention. */
  COMMAND_NOT_FOUND: 127,
} as const;

/** Every client error code, with its exit code. */
export const CLI_ERROR_EXIT = {
  ERR_CLI_USAGE: EXIT.USAGE,
  ERR_CLI_DURATION_INVALID: EXIT.USAGE,
  ERR_CLI_ROLE_AMBIGUOUS: EXIT.USAGE,
  ERR_CLI_NO_SERVER: EXIT.USAGE,
  ERR_CLI_INSECURE_SERVER: EXIT.USAGE,
  ERR_CLI_NOT_LOGGED_IN: EXIT.NOT_LOGGED_IN,
  ERR_CLI_SESSION_ENDED: EXIT.NOT_LOGGED_IN,
  /** The session is fine, but the role needs what only a new login brings (a fresh IdP ID token). */
  ERR_CLI_REAUTH_REQUIRED: EXIT.NOT_LOGGED_IN,
  ERR_CLI_ROLE_UNKNOWN: EXIT.NOT_ALLOWED,
  ERR_CLI_NOT_ALLOWED: EXIT.NOT_ALLOWED,
  ERR_CLI_UNREACHABLE: EXIT.UNAVAILABLE,
  ERR_CLI_SERVER_UNAVAILABLE: EXIT.UNAVAILABLE,
  ERR_CLI_LOGIN_DENIED: EXIT.LOGIN_FAILED,
  ERR_CLI_LOGIN_EXPIRED: EXIT.LOGIN_FAILED,
  ERR_CLI_NOT_A_BRIDGE: EXIT.GENERIC,
  ERR_CLI_SERVER_ERROR: EXIT.GENERIC,
  ERR_CLI_FILE: EXIT.GENERIC,
  /** A server command (`demo`, `serve`, `emulator`) cannot listen: the port is taken. */
  ERR_CLI_PORT_IN_USE: EXIT.GENERIC,
  ERR_CLI_COMMAND_NOT_FOUND: EXIT.COMMAND_NOT_FOUND,
} as const;

export type CliErrorCode = keyof typeof CLI_ERROR_EXIT;

export interface CliErrorOptions {
  /** What to do next. */
  hint?: string;
  /** The server's own error code (`ERR_ROLE_NOT_GRANTED`…), when the server refused. */
  serverCode?: string;
  /** The server's request id, to quote to an administrator. */
  requestId?: string;
  cause?: unknown;
}

export class CliError extends Error {
  readonly hint?: string;
  readonly serverCode?: string;
  readonly requestId?: string;

  constructor(
    readonly code: CliErrorCode,
    message: string,
    options: CliErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.hint = options.hint;
    this.serverCode = options.serverCode;
    this.requestId = options.requestId;
  }

  get exitCode(): number {
    return CLI_ERROR_EXIT[this.code];
  }
}

/** "Not logged in" is the one error nearly every command can raise; one wording everywhere. */
export function notLoggedIn(server: string): CliError {
  return new CliError('ERR_CLI_NOT_LOGGED_IN', t('notLoggedIn', { server }), { hint: t('runLogin', { server }) });
}
