import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { connect } from 'node:net';

/**
 * The default `audit.destination: log` on a stdout that refuses every write (/dev/full: ENOSPC, a
 * full disk behind `> file`): `serve`'s bridge keeps answering, stderr says why once, and the
 * audit records stdout refused are counted, as with an audit file of its own; and at a stop, with
 * `audit.destination: stdout` too (written through the main log's stdout).
 */
const dist = (file: string) => JSON.stringify(new URL(`../../../dist/${file}`, import.meta.url).href);
const script = `
  const { parseConfigText } = await import(${dist('config/index.js')});
  const { startBridge } = await import(${dist('main.js')});
  const config = parseConfigText([
    'server: {publicUrl: "http://127.0.0.1:8080", sessionSecrets: ["${'k'.repeat(32)}"]}',
    'idps: [{id: corp, type: oidc, issuer: "https://127.0.0.1:9/op", clientId: rambridge}]',
  ].join('\\n'), {});
  const bridge = await startBridge({ config, port: 0 });
  process.stderr.write('url ' + bridge.url + '\\n');
  process.once('SIGTERM', () => void bridge.close());
`;

test('with stdout on a full disk, the bridge goes on answering, says so once on stderr, and counts the audit records kept', async () => {
  const out = openSync('/dev/full', 'w');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', out, 'pipe'] });
  closeSync(out);
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    while (!/url (\S+)\n/.test(stderr) && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 20));
    const url = /url (\S+)\n/.exec(stderr)?.[1];
    expect(stderr).toMatch(/url /);
    for (let i = 0; i < 3; i++) {
      // A refused sign-in callback: a coded 400 and an audit record.
      const res = await fetch(`${url}/oidc/corp/callback?code=x&state=y`);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'ERR_AUTH_FLOW_MISSING' });
    }
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^rambridge_audit_write_failures_total 3$/m);
    expect(metrics).toMatch(/^rambridge_audit_records_dropped_total 0$/m);
    child.kill('SIGTERM');
    const [status] = (await once(child, 'exit')) as [number | null];
    expect(status).toBe(0);
    const told = stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(told.filter((l) => l.event === 'log-write-failed' && l.errorCode)).toEqual([
      expect.objectContaining({ level: 50, errorCode: 'ENOSPC' }),
    ]);
    // At the exit, the records still not written are named.
    expect(told.filter((l) => l.event === 'log-write-failed' && typeof l.pendingBytes === 'number')).toHaveLength(1);
  } finally {
    clearTimeout(killer);
    child.kill('SIGKILL');
  }
}, 30_000);

/** `audit.destination: stdout` shares the main log's destination on stdout; a reload (SIGHUP) builds its logger again. */
const auditOnStdout = script
  .replace("'idps:", "'audit: {destination: stdout}', 'idps:")
  .replace("process.stderr.write('url '", "await bridge.reload(config); process.stderr.write('url '");

const readerBackDuringStop = async (destination: string, bridge: string) => {
  // Touching process.stdout makes the pipe on fd 1 non-blocking (libuv), as `2>&1` or journald do.
  const child = spawn(process.execPath, ['--input-type=module', '-e', `process.stdout; ${bridge}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  try {
    while (!/url (\S+)\n/.test(stderr) && child.exitCode === null) await new Promise((resolve) => child.stderr.once('data', resolve));
    const url = /url (\S+)\n/.exec(stderr)?.[1];
    // Nobody reads stdout: it fills, is waited on for 2 s, then refuses writes; the records are kept.
    for (let i = 0; i < 150; i++) expect((await fetch(`${url}/oidc/corp/callback?code=x&state=y`)).status).toBe(400);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/^rambridge_audit_write_failures_total [1-9]\d*$/m);
    child.kill('SIGTERM');
    // The reader comes back 300 ms into the stop.
    await new Promise((resolve) => setTimeout(resolve, 300));
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const [status] = await exited;
    expect(status).toBe(0);
    const lines = stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const records = lines.filter((l) => l.audit && l.code === 'ERR_AUTH_FLOW_MISSING');
    expect(records).toHaveLength(150);
    expect(records.every((l) => (l.stream === 'audit') === (destination === 'stdout'))).toBe(true);
    expect(lines.filter((l) => l.event === 'stopped')).toHaveLength(1);
    expect(stderr).not.toMatch(/pendingBytes/);
  } finally {
    clearTimeout(killer);
    child.kill('SIGKILL');
  }
};

test.each([
  ['log', script],
  ['stdout', auditOnStdout],
])(
  'with stdout a full pipe whose reader comes back during the stop, every audit record kept meanwhile is written at the stop (audit.destination: %s)',
  readerBackDuringStop,
  30_000,
);

describe('a stop while stdout is a full pipe nobody reads', () => {
  // serve's stop: the signal handlers of `rambridge serve`, a grace of 2 s.
  const stoppable = (bridge: string) =>
    `process.stdout; ${bridge
      .replace('sessionSecrets:', 'shutdownGraceSeconds: 2, sessionSecrets:')
      .replace(
        "process.once('SIGTERM', () => void bridge.close());",
        `(await import(${dist('cli/commands/serve.js')})).stopOnSignals(() => bridge.close());`,
      )}`;
  const refusing = async (bridge = script) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', stoppable(bridge)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    while (!/url (\S+)\n/.test(stderr) && child.exitCode === null) await new Promise((resolve) => child.stderr.once('data', resolve));
    const url = /url (\S+)\n/.exec(stderr)?.[1] ?? '';
    // Nobody reads stdout: it fills, is waited on for 2 s, then refuses writes; the records are kept.
    while (!/"event":"log-write-failed"/.test(stderr)) expect((await fetch(`${url}/oidc/corp/callback?code=x&state=y`)).status).toBe(400);
    return { child, url, exited: once(child, 'exit') as Promise<[number | null]> };
  };

  test('the log reader shares the grace with the connections: the stop takes the grace, not twice it', async () => {
    const { child, url, exited } = await refusing();
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    // A request in flight all along (its headers never end): the connections take the whole grace.
    const socket = connect(Number(new URL(url).port), '127.0.0.1', () => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n'));
    try {
      await once(socket, 'connect');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const began = Date.now();
      child.kill('SIGTERM');
      const [status] = await exited;
      expect(status).toBe(0);
      expect(Date.now() - began).toBeGreaterThanOrEqual(1900);
      expect(Date.now() - began).toBeLessThan(3000);
    } finally {
      socket.destroy();
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  }, 30_000);

  const namedOnStderrAtStop = async (_destination: string, bridge: string) => {
    const { child, exited } = await refusing(bridge);
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      child.kill('SIGTERM');
      const [status] = await exited;
      expect(status).toBe(0);
      const told = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(told.filter((l) => l.event === 'audit-write-failed')).toEqual([
        expect.objectContaining({ level: 50, pendingBytes: expect.any(Number) as number }),
      ]);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  };

  test.each([
    ['log', script],
    ['stdout', auditOnStdout],
  ])(
    'the audit records a stop could not write are named on stderr, not in the main log that drops the line (audit.destination: %s)',
    namedOnStderrAtStop,
    30_000,
  );

  test('a second signal during the stop’s wait for the log reader exits at once (status 1)', async () => {
    const { child, exited } = await refusing();
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      const began = Date.now();
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      const [status] = await exited;
      expect(status).toBe(1);
      expect(Date.now() - began).toBeLessThan(1200);
    } finally {
      clearTimeout(killer);
      child.kill('SIGKILL');
    }
  }, 30_000);
});
