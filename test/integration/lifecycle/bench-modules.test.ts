import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * `npm run bench` imports the built bridge (dist/) by name, outside the compiler's view: a rename
 * in src/ broke it unnoticed once. Every module of bench/sections and bench/lib must link
 * (loading them starts nothing; the servers in bench/servers are started by them as processes).
 */
test('the benchmark modules link against the built bridge', async () => {
  const modules = ['bench/sections', 'bench/lib'].flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => `./${dir}/${f}`),
  );
  expect(modules.length).toBeGreaterThan(5);
  const script = `for (const m of ${JSON.stringify(modules)}) await import(m);`;
  await expect(promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 30_000 })).resolves.toBeDefined();
});
