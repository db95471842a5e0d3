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

/** The platform's "open this URL" command; the URL is one argv element, never parsed by a shell
 * (except cmd's `start`, where `&` must be escaped). */
export function browserCommand(platform: NodeJS.Platform, url: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [url]];
  if (platform === 'win32') return ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  return ['xdg-open', [url]];
}

/** Starts the browser and does not wait for it; a missing opener is not an error (the URL is printed). */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const [command, args] = browserCommand(platform, url);
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: platform === 'win32' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // The instructions are on the screen already.
  }
}
