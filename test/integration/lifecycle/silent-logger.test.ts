import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const log = fileURLToPath(new URL('../../../dist/log.js', import.meta.url));

/**
 * The audit logger writes at info whatever the main level (audit records must not vanish with a
 * quiet main log), so a bridge silenced with silentLogger() — the e2e demos, the benchmarks —
 * must be silent at the destination too, or its audit records land on the test output.
 * Checked in a fresh process on the build: pino writes to file descriptor 1 directly.
 */
test('a silenced bridge prints no audit record', () => {
  const script = `
    const { createAuditLogger, silentLogger } = await import(${JSON.stringify(log)});
    createAuditLogger(silentLogger(), 'log').info({ audit: true, event: 'issuance' }, 'credentials issued');`;
  expect(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })).toBe('');
});
