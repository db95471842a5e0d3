import { spawn } from 'node:child_process';

/**
 * Whether `login` should try to open a browser. Not when asked not to, not over SSH (the browser
 * would open on the wrong machine, or fail), and not on a Linux without a display.
 */
export function shouldOpenBrowser(env: NodeJS.ProcessEnv, platform: NodeJS.Platform, noBrowserFlag: boolean): boolean {
  if (noBrowserFlag || env.RAMBRIDGE_NO_BROWSER) return false;
  if (env.SSH_CONNECTION || env.SSH_TTY || env.SSH_CLIENT) return false;
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  return true;
}

/**
 * The platform's "open this web page" command, or none for anything but an http(s) URL: the
 * openers also run files and other schemes (`file:///…/Calculator.app`). The URL is one argv
 * element and no shell reads it; on Windows that rules out `cmd /c start`, where `|`, `<`, `>` or
 * `%VAR%` in a URL would be cmd syntax.
 */
export function browserCommand(platform: NodeJS.Platform, url: string): [string, string[]] | undefined {
  const page = URL.canParse(url) ? new URL(url) : undefined;
  if (page?.protocol !== 'https:' && page?.protocol !== 'http:') return undefined;
  if (platform === 'darwin') return ['open', [page.href]];
  if (platform === 'win32') return ['rundll32.exe', ['url.dll,FileProtocolHandler', page.href]];
  return ['xdg-open', [page.href]];
}

/** Starts the browser and does not wait for it; a missing opener is not an error (the URL is printed). */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const command = browserCommand(platform, url);
  if (!command) return;
  try {
    const child = spawn(command[0], command[1], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // The instructions are on the screen already.
  }
}
