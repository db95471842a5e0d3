import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createContext } from '../../src/cli/client/context.js';
import { ALICE } from './device-flow.js';

const bin = fileURLToPath(new URL('../../bin/rambridge.js', import.meta.url));

/**
 * Runs the built `rambridge` (npm run build first) against `server`, with HOME `home` and nothing
 * else of this process's environment but PATH; answers its exit code and output, failing or not.
 */
export async function runBuiltCli(server: string, home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args, '--server', server], {
      env: { PATH: process.env.PATH, HOME: home, LANG: 'C' },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** What `rambridge login` leaves behind in `home` for `server`, from the tokens of a real device login (ALICE's). */
export async function storeCliLogin(
  home: string,
  server: string,
  tokens: { access_token: string; refresh_token: string; expires_in: number },
): Promise<void> {
  await createContext({ HOME: home }).sessions.put(server, {
    tokenEndpoint: `${server}/oauth/token`,
    accessToken: tokens.access_token,
    accessTokenExpiresAt: Date.now() + tokens.expires_in * 1000,
    refreshToken: tokens.refresh_token,
    user: { idp: 'demo', subject: ALICE.sub, email: ALICE.email },
  });
}
