import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { TurnBatchedDestination } from '../../src/log-destination.js';

describe('the main log destination writes once per event-loop turn', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'rambridge-log-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  test('the lines of one turn are written together, once the turn has run', async () => {
    const file = join(dir, 'main.log');
    const destination = new TurnBatchedDestination(file);
    destination.write('{"msg":"one"}\n');
    destination.write('{"msg":"two"}\n');
    expect(readFileSync(file, 'utf8')).toBe('');

    await nextTurn();
    expect(readFileSync(file, 'utf8')).toBe('{"msg":"one"}\n{"msg":"two"}\n');
    destination.write('{"msg":"three"}\n');
    await nextTurn();
    expect(readFileSync(file, 'utf8')).toBe('{"msg":"one"}\n{"msg":"two"}\n{"msg":"three"}\n');
  });

  test('what is held is bounded: 8 KiB waiting are written without waiting for the turn', () => {
    const file = join(dir, 'main.log');
    const destination = new TurnBatchedDestination(file);
    const line = `${JSON.stringify({ msg: 'x'.repeat(1000) })}\n`;
    for (let i = 0; i < 9; i++) destination.write(line);
    expect(readFileSync(file, 'utf8').length).toBeGreaterThanOrEqual(8 * 1024);
  });

  test('a stdout that is a file is written, never flushed to disk turn by turn (no fsync)', async () => {
    const file = join(dir, 'stdout.log');
    const script = `
      const fs = (await import('node:fs')).default;
      const fsync = fs.fsyncSync;
      let fsyncs = 0;
      fs.fsyncSync = (fd) => (fsyncs++, fsync(fd));
      const { createLogger } = await import(${JSON.stringify(new URL('../../dist/log.js', import.meta.url).href)});
      const logger = createLogger();
      for (let i = 0; i < 20; i++) {
        logger.info({ turn: i }, 'request');
        await new Promise((resolve) => setImmediate(resolve));
      }
      process.stderr.write(String(fsyncs));
    `;
    const out = openSync(file, 'w');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', out, 'pipe'],
      encoding: 'utf8',
      timeout: 20_000,
    });
    closeSync(out);
    expect(child.status).toBe(0);
    expect(child.stderr).toBe('0');
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(20);
  });

  // The main log's lines of the last turn must not be lost when the process ends in it.
  const lastWords = (ending: string) => {
    const script = `
      const { createLogger } = await import(${JSON.stringify(new URL('../../dist/log.js', import.meta.url).href)});
      createLogger().info({ event: 'last-words' }, 'said just before the end');
      ${ending}
    `;
    return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
  };

  test.each([
    ['process.exit', 'process.exit(3);', 3],
    ['an uncaught exception', "throw new Error('boom');", 1],
    ['a normal end', '', 0],
  ])('a line logged just before %s is on stdout', (_how, ending, status) => {
    const child = lastWords(ending);
    expect(child.status).toBe(status);
    expect(child.stdout).toMatch(/"event":"last-words"/);
    expect(child.stdout.split('\n').filter((l) => l.includes('last-words'))).toHaveLength(1);
  });
});
