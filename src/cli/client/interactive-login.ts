import { openBrowser, shouldOpenBrowser } from './browser.js';
import type { ClientContext } from './context.js';
import { deviceLogin, type LoginResult } from './device-login.js';
import type { OutputStream } from './progress.js';
import { t } from '../i18n/index.js';

export interface LoginChoices {
  /** `--no-browser` not given. */
  browser: boolean;
  qr?: boolean;
}

/** The device login as `rambridge login` runs it on this machine: browser or not, and why not. */
export function interactiveLogin(ctx: ClientContext, server: string, choices: LoginChoices, stream: OutputStream): Promise<LoginResult> {
  const opening = shouldOpenBrowser(ctx.env, process.platform, !choices.browser);
  return deviceLogin(ctx, server, {
    stream,
    qr: choices.qr,
    openBrowser: opening ? (url) => openBrowser(url) : undefined,
    noBrowserReason: opening ? undefined : noBrowserReason(ctx.env, choices.browser),
  });
}

/** Why no browser is opened, in the CLI's language (`按你的要求`, `检测到 SSH 会话`, `未检测到图形界面`). */
export function noBrowserReason(env: NodeJS.ProcessEnv, browser: boolean): string {
  if (!browser || env.RAMBRIDGE_NO_BROWSER) return t('noBrowserAsked');
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return t('noBrowserSsh');
  return t('noBrowserNoDisplay');
}
