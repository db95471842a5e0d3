import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

// bench/store-footprint.mjs writes what the bridge stores through the bridge's own classes, so a
// change to their constructors or to what they store shows here rather than when someone next
// wants the numbers (it once called a LoginFlows constructor that no longer existed).
test('the store footprint script measures every kind of entry, with the keys each one really writes', async () => {
  const { stdout } = await run(process.execPath, ['bench/store-footprint.mjs'], {
    env: { ...process.env, BENCH_FOOTPRINT_N: '20' },
    timeout: 60_000,
  });
  const rows = stdout
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| what'))
    .map((line) => line.split('|').map((cell) => cell.trim()));
  expect(rows.map(([, what, keys]) => [what, keys])).toEqual([
    ['signed-in browser (session + spent-flow marker)', '2'],
    ['device grant waiting for approval', '2'],
    ['CLI session', '5'],
    ['CLI session with IdP refresh token (refreshGroups)', '5'],
  ]);
  for (const [, , , plain, sealed] of rows) {
    const [plainValue, plainMemory] = /^(\d+) B \/ (\d+) B$/.exec(plain!)!.slice(1).map(Number);
    const [sealedValue] = /^(\d+) B \/ (\d+) B$/.exec(sealed!)!.slice(1).map(Number);
    expect(plainMemory).toBeGreaterThan(plainValue!);
    // Sealed values carry a nonce, a tag and a key id: always longer than the plain ones.
    expect(sealedValue).toBeGreaterThan(plainValue!);
  }
}, 90_000);
