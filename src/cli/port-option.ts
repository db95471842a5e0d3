import { InvalidArgumentError } from 'commander';
import { CliError } from './client/errors.js';
import { t } from './i18n/index.js';

/** A TCP port option (commander's argument parser): digits only, 0–65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535) throw new InvalidArgumentError(t('portNumber'));
  return port;
}

/**
 * A port option whose default comes from the environment (commander parses only what is typed):
 * checked as `parsePort` does, a usage error naming both the flag and the variable.
 */
export function portOption(value: string, flag: string, env: string): number {
  try {
    return parsePort(value);
  } catch {
    throw new CliError('ERR_CLI_USAGE', t('portOptionInvalid', { flag, env, value: value.slice(0, 20) }));
  }
}
