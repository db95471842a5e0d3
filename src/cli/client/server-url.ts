import { isLoopbackHost } from '../../loopback.js';
import { CliError } from './errors.js';
import { t } from '../i18n/index.js';

/**
 * Normalises a server URL to the form the server uses as its issuer (no trailing slash, no query),
 * and refuses plain HTTP except to this machine: the device flow sends bearer tokens to it.
 */
export function normalizeServerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.includes('://') ? input : `https://${input}`);
  } catch {
    throw new CliError('ERR_CLI_USAGE', t('notServerUrl', { input }), { hint: t('notServerUrlHint') });
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new CliError('ERR_CLI_INSECURE_SERVER', t('insecureServer', { host: url.host }), { hint: t('insecureServerHint') });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new CliError('ERR_CLI_USAGE', t('notHttpUrl', { input }));
  }
  url.hash = '';
  url.search = '';
  return url.href.replace(/\/+$/, '');
}

/** Which server a command talks to: the flag, then RAMBRIDGE_SERVER, then the one last logged in to. */
export function chooseServer(flag: string | undefined, env: NodeJS.ProcessEnv, saved: string | undefined): string {
  const chosen = flag ?? env.RAMBRIDGE_SERVER ?? saved;
  if (!chosen) {
    throw new CliError('ERR_CLI_NO_SERVER', t('noServer'), { hint: t('noServerHint') });
  }
  return normalizeServerUrl(chosen);
}
