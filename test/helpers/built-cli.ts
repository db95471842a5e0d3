import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

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
