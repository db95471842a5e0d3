import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * In a fresh Node process on the build, as `rambridge serve` runs: the collection works without
 * `--expose-gc` on the command line, and the bridge's own global scope gains no `gc` from it (the
 * flag applies to contexts created later; Jest's per-file contexts are such, so this cannot be
 * checked inside Jest).
 */
test('fullCollection needs no command-line flag and leaves the global scope without gc', () => {
  const script = `
    const { fullCollection } = await import(${JSON.stringify(`${root}dist/idle-memory.js`)});
    const before = typeof globalThis.gc;
    fullCollection();
    fullCollection();
    console.log(JSON.stringify({ before, after: typeof globalThis.gc }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(JSON.parse(out)).toEqual({ before: 'undefined', after: 'undefined' });
});
