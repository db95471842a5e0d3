import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createAuditLogger, createLogger } from '../../src/log.js';
import { BridgeError } from '../../src/errors.js';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  });
  return { logger, lines };
}

describe('log redaction', () => {
  test('secrets are censored at the top level and nested, in objects, arrays, headers and errors', () => {
    const { logger, lines } = capture();
    const cause = Object.assign(new Error('upstream said no'), { body: { refresh_token: 'rt-secret' } });
    const err = new BridgeError('ERR_BAD_REQUEST', { detail: { state: 'st-secret', reason: 'kept' }, cause });
    logger.info(
      {
        password: 'pw-secret',
        form: { SAMLResponse: 'saml-secret', RelayState: 'rs-secret', other: 'kept' },
        deep: { a: { clientSecret: 'cs-secret' } },
        deeper: { a: { b: { accessKeySecret: 'ak-secret' } } },
        list: [{ id_token: 'idt-secret' }],
        req: { headers: { cookie: 'c-secret', Authorization: 'Bearer a-secret', accept: 'kept' } },
        res: { headers: { 'set-cookie': ['sc-secret'] } },
        err,
        fine: 'kept',
      },
      'message',
    );
    const text = JSON.stringify(lines);
    expect(text).not.toMatch(/-secret/);
    expect(lines[0]).toMatchObject({
      password: '[redacted]',
      form: { SAMLResponse: '[redacted]', RelayState: '[redacted]', other: 'kept' },
      req: { headers: { cookie: '[redacted]', Authorization: '[redacted]', accept: 'kept' } },
      fine: 'kept',
      msg: 'message',
    });
    // Errors are still logged as errors: type and message survive the redaction.
    expect(lines[0]!.err).toMatchObject({ type: 'BridgeError', detail: { state: '[redacted]', reason: 'kept' } });
  });

  test('a frozen record (as the memory store hands out) is redacted in a copy rather than throwing', () => {
    const { logger, lines } = capture();
    const session = Object.freeze({ sid: 's1', connectorData: Object.freeze({ refreshToken: 'rt-secret' }) });
    logger.info({ session: Object.freeze({ ...session }) }, 'frozen');
    expect(lines[0]!.session).toEqual({ sid: 's1', connectorData: '[redacted]' });
    expect(JSON.stringify(lines)).not.toContain('rt-secret');
  });

  test('the logged object itself is left as it was', () => {
    const { logger } = capture();
    const record = { form: { SAMLResponse: 'x' }, err: Object.assign(new Error('e'), { password: 'p' }) };
    logger.info(record, 'm');
    expect(record.form.SAMLResponse).toBe('x');
    expect(record.err.password).toBe('p');
    expect(record.err).toBeInstanceOf(Error);
  });

  test('child loggers redact too', () => {
    const { logger, lines } = capture();
    logger.child({ requestId: 'r1' }).warn({ detail: { code_verifier: 'v-secret' } }, 'm');
    expect(lines[0]).toMatchObject({ requestId: 'r1', detail: { code_verifier: '[redacted]' } });
  });
});

describe('the audit file destination', () => {
  const openDescriptors = () => readdirSync('/proc/self/fd').length;

  test('building the app again (SIGHUP reload) reuses one open file, reopened, instead of leaking a descriptor each time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rambridge-audit-'));
    const file = join(dir, 'audit.log');
    const main = createLogger({ level: 'silent' });
    createAuditLogger(main, file).info({ n: 0 }, 'first');
    const before = openDescriptors();
    for (let n = 1; n <= 10; n++) createAuditLogger(main, file).info({ n }, 'again');
    // A reopened file's old descriptor closes asynchronously: on a busy machine that can take a while.
    // Leaked ones never close, and the 5 s deadline passes with them open.
    for (const deadline = Date.now() + 5000; openDescriptors() > before + 1 && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect(openDescriptors()).toBeLessThanOrEqual(before + 1);

    // A rotator moves the file away and sends SIGHUP: records from then on go to a new file.
    await rename(file, `${file}.1`);
    createAuditLogger(main, file).info({ n: 11 }, 'after rotation');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(
      (await readFile(file, 'utf8'))
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { n: number }).n),
    ).toEqual([11]);
    expect((await readFile(`${file}.1`, 'utf8')).trim().split('\n')).toHaveLength(11);
    await rm(dir, { recursive: true, force: true });
  });
});
