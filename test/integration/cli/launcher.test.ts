import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const launcher = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));

/** Runs a copy of bin/rambridge.js in a checkout-shaped folder whose dist/ we control. */
async function runIn(dir: string) {
  await mkdir(join(dir, 'bin'), { recursive: true });
  await copyFile(launcher, join(dir, 'bin', 'rambridge.js'));
  await writeFile(join(dir, 'package.json'), '{"type":"module"}');
  try {
    await promisify(execFile)(process.execPath, [join(dir, 'bin', 'rambridge.js'), '--version']);
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('bin/rambridge.js', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'rambridge-launcher-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));

  test('without dist/: one clear line and the command that fixes it, not ERR_MODULE_NOT_FOUND', async () => {
    const r = await runIn(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dist/ is missing or out of date');
    expect(r.stderr).toContain('npm run build');
    expect(r.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
  });

  test('a dist/ older than the sources (a module it imports is gone): the same clear message', async () => {
    await mkdir(join(dir, 'dist', 'cli'), { recursive: true });
    await writeFile(join(dir, 'dist', 'cli', 'main.js'), "export { main } from './commands/removed-since.js';\n");
    const r = await runIn(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('dist/ is missing or out of date');
  });

  test('any other failure is shown as it is', async () => {
    await mkdir(join(dir, 'dist', 'cli'), { recursive: true });
    await writeFile(join(dir, 'dist', 'cli', 'main.js'), "export async function main() { throw new Error('boom'); }\n");
    const r = await runIn(dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('boom');
    expect(r.stderr).not.toContain('dist/ is missing');
  });
});
