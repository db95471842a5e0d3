import { CliError } from './client/errors.js';

/** A port a server command listens on, and how the user chooses another one. */
export interface PortChoice {
  port: number;
  /** What listens there: "the bridge". */
  what: string;
  /** The flag and environment variable that change it. */
  flag: string;
  env?: string;
}

/**
 * A listen that failed because the port is taken, as one line that names the port and how to
 * choose another, instead of Node's EADDRINUSE stack trace. `undefined` for any other error.
 */
export function portInUse(err: unknown, choices: readonly PortChoice[] = []): CliError | undefined {
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  if (e?.code !== 'EADDRINUSE') return undefined;
  const where = e.port === undefined ? 'A port' : `Port ${e.port}${e.address ? ` on ${e.address}` : ''}`;
  const choice = choices.find((c) => c.port === e.port);
  const example = e.port === undefined ? 8090 : e.port + 10;
  const hint = choice
    ? `Stop the program using it, or choose another: --${choice.flag} ${example}${choice.env ? ` (or ${choice.env}=${example})` : ''}.`
    : 'Stop the program using it, or choose another port.';
  return new CliError('ERR_CLI_PORT_IN_USE', `${where}${choice ? ` (${choice.what})` : ''} is already in use.`, { hint, cause: err });
}
