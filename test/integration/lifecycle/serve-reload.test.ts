import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FakeOp } from '../../helpers/fake-op.js';
import { idpMetadataXml, testIdpKeys } from '../../helpers/saml-bridge.js';

/**
 * `rambridge serve` as an admin runs it: `--port` overrides the config's port, and SIGHUP reloads
 * the configuration file (and with it the IdP metadata) without dropping sessions, keeping the
 * running configuration when the new file is invalid.
 */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));

let op: FakeOp;
let dir: string;
let child: ChildProcess | undefined;
let logLines: Array<Record<string, unknown>> = [];
beforeAll(async () => {
  op = await FakeOp.start();
  dir = mkdtempSync(join(tmpdir(), 'rambridge-serve-'));
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await op.close();
});

function configYaml(extraIdp = ''): string {
  return [
    'server:',
    // Port 1 cannot be bound by the test: only --port makes this start.
    '  publicUrl: http://127.0.0.1:18080',
    '  port: 1',
    `  sessionSecrets: ['${'s'.repeat(40)}']`,
    'idps:',
    '  - id: first',
    '    type: oidc',
    '    displayName: First SSO',
    `    issuer: ${op.issuer}`,
    '    clientId: rambridge',
    `    clientSecret: ${op.clientSecret}`,
    '    insecureAllowHttp: true',
    '  - id: corp',
    '    type: saml',
    `    metadata: ${join(dir, 'idp-metadata.xml')}`,
    extraIdp,
  ].join('\n');
}

async function writeMetadata(ssoUrl: string): Promise<void> {
  writeFileSync(join(dir, 'idp-metadata.xml'), idpMetadataXml((await testIdpKeys()).certificatePem, ssoUrl));
}

/** Resolves with the first log line (JSON on stdout) matching `event`. */
function nextEvent(event: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} in ${JSON.stringify(logLines)}`)), 15_000);
    const check = () => {
      const line = logLines.find((l) => l.event === event);
      if (!line) return;
      clearTimeout(timer);
      child!.stdout!.off('data', check);
      resolve(line);
    };
    child!.stdout!.on('data', () => setImmediate(check));
    check();
  });
}

/** A cookie jar of one browser, over plain fetch. */
class Browser {
  private readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  async get(pathOrUrl: string): Promise<Response> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : this.base + pathOrUrl;
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=');
      this.cookies.set(name!, value ?? '');
    }
    return res;
  }
  /** Signs in at `first` through the fake OP; the callback goes to this bridge whatever publicUrl says. */
  async signIn(): Promise<void> {
    const start = await this.get('/login?idp=first');
    const atOp = await fetch(start.headers.get('location')!, { redirect: 'manual' });
    const callback = new URL(atOp.headers.get('location')!);
    const done = await this.get(callback.pathname + callback.search);
    expect(done.status).toBe(302);
  }
}

test('serve --port, then SIGHUP: a valid new config is served with sessions kept and metadata re-read; an invalid one is refused', async () => {
  const file = join(dir, 'rambridge.yaml');
  writeFileSync(file, configYaml());
  await writeMetadata('https://idp.example.com/sso-one');
  child = spawn(process.execPath, [bin, 'serve', '--config', file, '--port', '0'], {
    env: { PATH: process.env.PATH, HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.resume();
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const l of lines) if (l.startsWith('{')) logLines.push(JSON.parse(l) as Record<string, unknown>);
  });
  const listening = await nextEvent('listening');
  expect(listening.port).not.toBe(1);
  const base = `http://127.0.0.1:${String(listening.port)}`;

  const browser = new Browser(base);
  await browser.signIn();
  expect((await browser.get('/roles')).status).toBe(403); // signed in, no roles configured
  expect((await browser.get('/login?idp=corp')).headers.get('location')).toMatch(/^https:\/\/idp\.example\.com\/sso-one\?/);

  // A new IdP, and the SAML IdP moved its SSO endpoint: both are picked up by SIGHUP.
  writeFileSync(
    file,
    configYaml(
      [
        '  - id: second',
        '    type: oidc',
        '    displayName: Second SSO',
        `    issuer: ${op.issuer}`,
        '    clientId: rambridge',
        '    insecureAllowHttp: true',
      ].join('\n'),
    ),
  );
  await writeMetadata('https://idp.example.com/sso-two');
  logLines = [];
  child.kill('SIGHUP');
  await nextEvent('config-reloaded');
  expect(await (await browser.get('/login')).text()).toContain('Second SSO');
  expect((await browser.get('/roles')).status).toBe(403); // the session survived the reload
  expect((await browser.get('/login?idp=corp')).headers.get('location')).toMatch(/^https:\/\/idp\.example\.com\/sso-two\?/);

  writeFileSync(file, 'server: {publicUrl: 42}\n');
  logLines = [];
  child.kill('SIGHUP');
  const refused = await nextEvent('config-reload-refused');
  expect(refused.level).toBe(50);
  expect(await (await browser.get('/login')).text()).toContain('Second SSO');
  expect((await browser.get('/roles')).status).toBe(403);
  expect(child.exitCode).toBeNull();

  // A file it names that does not open (metadata moved away) is refused as serve refuses it at
  // start, with its path; the running IdP keeps its metadata.
  writeFileSync(file, configYaml().replace('idp-metadata.xml', 'moved-away.xml'));
  logLines = [];
  child.kill('SIGHUP');
  const missing = await nextEvent('config-reload-refused');
  expect(missing.problems).toEqual([
    expect.objectContaining({ path: 'idps.corp.metadata', message: expect.stringContaining('no such file') }),
  ]);
  expect((await browser.get('/login?idp=corp')).headers.get('location')).toMatch(/^https:\/\/idp\.example\.com\/sso-two\?/);
  expect(await (await browser.get('/login')).text()).toContain('Second SSO');
});
