import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built `rambridge` command (npm test builds dist/ first). */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));
const GRACE_SECONDS = 2;

/** `rambridge demo` on free ports. */
function spawnDemo() {
  return spawn(
    process.execPath,
    [
      bin,
      'demo',
      '--port',
      '0',
      '--idp-port',
      '0',
      '--saml-idp-port',
      '0',
      '--emulator-port',
      '0',
      '--shutdown-grace',
      String(GRACE_SECONDS),
    ],
    { env: { PATH: process.env.PATH, HOME: mkdtempSync(join(tmpdir(), 'rambridge-home-')) }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Starts `rambridge demo` on free ports and waits for its banner. */
async function startDemoProcess(): Promise<{ child: ChildProcess; bridgeUrl: string; samlIdpUrl: string }> {
  const child = spawnDemo();
  let out = '';
  child.stderr.resume();
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`demo exited (${code}) before its banner: ${out}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const bridge = /Open\s+(http:\/\/127\.0\.0\.1:\d+)\/roles/.exec(out);
      const saml = /SAML IdP\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (bridge && saml && out.includes('Press Ctrl+C')) resolve({ child, bridgeUrl: bridge[1]!, samlIdpUrl: saml[1]! });
    });
  });
}

/** pid, state, parent pid and process group of every process (from /proc/<pid>/stat). */
function processes(): Array<{ pid: number; state: string; ppid: number; pgrp: number; comm: string }> {
  return readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const [state, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(pid), state: state!, ppid: Number(ppid), pgrp: Number(pgrp), comm }];
      } catch {
        return []; // gone meanwhile
      }
    });
}

/** The process group of the PHP server the demo started (its own group: started detached). */
function phpGroupOf(parent: number): number | undefined {
  return processes().find((p) => p.ppid === parent && p.comm.startsWith('php'))?.pgrp;
}

/** Live members of a process group (a container's init may never reap the dead: zombies count as gone). */
const membersOf = (pgrp: number) => processes().filter((p) => p.pgrp === pgrp && p.state !== 'Z');

/**
 * The live members of a process group once it has had `ms` to go. A demo stopped during start-up
 * leaves through process.exit, whose hooks can signal SimpleSAMLphp but not wait for it: on a busy
 * machine the PHP server is still on its way out for a moment after the demo is gone.
 */
async function membersAfter(pgrp: number, ms: number) {
  const deadline = Date.now() + ms;
  while (membersOf(pgrp).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return membersOf(pgrp);
}

/** Resolves with the exit code, or undefined if the process is still running after `ms`. */
function exitWithin(child: ChildProcess, ms: number): Promise<number | null | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe('graceful shutdown', () => {
  const sockets: Socket[] = [];
  let child: ChildProcess | undefined;
  let php: number | undefined;
  afterEach(() => {
    sockets.forEach((s) => s.destroy());
    if (child?.exitCode === null) child.kill('SIGKILL');
    // A failed test must not leave the PHP server it started behind.
    if (php !== undefined && membersOf(php).length > 0) process.kill(-php, 'SIGKILL');
  });

  test.each(['SIGTERM', 'SIGINT'] as const)(
    '%s with a keep-alive and a half-sent request open: exit 0 within the grace period, SimpleSAMLphp gone',
    async (signal) => {
      const demo = await startDemoProcess();
      child = demo.child;
      php = phpGroupOf(child.pid!);
      expect(php).toBeDefined();
      expect(membersOf(php!).length).toBeGreaterThan(0);

      // A browser's idle keep-alive connection, after one full request…
      const agent = new Agent({ keepAlive: true });
      await new Promise<void>((resolve, reject) =>
        get(`${demo.bridgeUrl}/healthz`, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject),
      );
      // …and a client that started a request and never finished it (what server.close() waits on forever).
      const slow = connect(Number(new URL(demo.bridgeUrl).port), '127.0.0.1');
      sockets.push(slow);
      await new Promise((resolve) => slow.once('connect', resolve));
      slow.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      slow.on('error', () => undefined);

      child.kill(signal);
      // The bound: the grace period plus SimpleSAMLphp's own stop, with room for a loaded machine.
      expect(await exitWithin(child, (GRACE_SECONDS + 8) * 1000)).toBe(0);
      expect(membersOf(php!)).toEqual([]);
      agent.destroy();
    },
    30_000,
  );

  test('SIGTERM during start-up, once SimpleSAMLphp runs: exit 0, SimpleSAMLphp gone', async () => {
    const starting = spawnDemo();
    child = starting;
    php = undefined;
    starting.stdout.resume();
    starting.stderr.resume();
    // The PHP server is spawned before the demo is ready (it still has to serve its metadata).
    while (php === undefined && starting.exitCode === null) {
      php = phpGroupOf(starting.pid!);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(php).toBeDefined();
    starting.kill('SIGTERM');
    expect(await exitWithin(starting, 15_000)).toBe(0);
    expect(await membersAfter(php!, 3000)).toEqual([]);
  }, 30_000);
});
