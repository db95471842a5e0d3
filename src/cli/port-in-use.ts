import { createServer } from 'node:net';
import { CliError } from './client/errors.js';
import { t } from './i18n/index.js';

/** A port a server command listens on, and how the user chooses another one. */
export interface PortChoice {
  port: number;
  /** What listens there, in the CLI's language: "the bridge". */
  what: string;
  /** The flag and environment variable that change it. */
  flag: string;
  env?: string;
}

/**
 * A listen that failed because the port is taken, as one line that names the port and how to
 * choose another, instead of Node's EADDRINUSE stack trace. `undefined` for any other error.
 */
export function portInUse(err: unknown, choices: readonly PortChoice[] = [], free?: number): CliError | undefined {
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  if (e?.code !== 'EADDRINUSE') return undefined;
  const choice = choices.find((c) => c.port === e.port);
  const example = free ?? 'PORT';
  const hint = choice
    ? t('portInUseHint', { flag: choice.flag, example, env: choice.env ? t('portInUseHintEnv', { env: choice.env, example }) : '' })
    : t('portInUseHintAny');
  const port = e.port ?? '';
  const where = e.address ? t('portInUseAt', { port, address: e.address }) : t('portInUseNumber', { port });
  const message =
    e.port === undefined ? t('portInUseAny') : choice ? t('portInUseBy', { where, what: choice.what }) : t('portInUse', { where });
  return new CliError('ERR_CLI_PORT_IN_USE', message, { hint, cause: err });
}

/**
 * A port to suggest instead of `taken` on `host`: the first of taken+10, +20 … +100 that is free
 * now, so the hint never names another busy one. Undefined when none of them is.
 */
export async function freePortNear(taken: number, host = '127.0.0.1'): Promise<number | undefined> {
  for (let port = taken + 10; port <= Math.min(taken + 100, 65535); port += 10) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, host, () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  return undefined;
}
