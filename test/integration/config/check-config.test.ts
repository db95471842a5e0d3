import { execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { validateConfig, type BridgeConfig } from '../../../src/config/index.js';
import { checkConfigFiles, keyFileWarnings } from '../../../src/config/files.js';
import { checkIdpsOnline } from '../../../src/config/online.js';
import { FakeOp } from '../../helpers/fake-op.js';
import { testKeyPair, type TestKeyPair } from '../../helpers/saml-keys.js';
import { idpMetadataXml, IDP_ENTITY_ID } from '../../helpers/saml-bridge.js';

/** check-config opens what the configuration names, and with --online asks the IdPs. */
let dir: string;
let keys: TestKeyPair;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rambridge-check-'));
  keys = await testKeyPair('check-config');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const base = {
  server: { publicUrl: 'https://bridge.example.com', sessionSecrets: ['k'.repeat(32)] },
};

function config(extra: Record<string, unknown>): BridgeConfig {
  const r = validateConfig({ ...base, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.config;
}

const samlIdp = (over: Record<string, unknown>) => ({
  id: 'corp',
  type: 'saml',
  entryPoint: 'https://idp.example.com/sso',
  issuer: IDP_ENTITY_ID,
  ...over,
});

describe('checkConfigFiles', () => {
  test('a key that is neither PEM text nor a file (base64-wrapped by a secrets manager) is never repeated in the problem', async () => {
    const wrapped = Buffer.from(keys.privateKeyPem).toString('base64');
    const stripped = keys.privateKeyPem.replace(/-----[A-Z ]+-----/g, '').trim();
    for (const value of [wrapped, stripped]) {
      const c = config({
        idps: [samlIdp({ certificates: [keys.certificatePem], spPrivateKey: value, spCertificate: keys.certificatePem })],
      });
      const problems = await checkConfigFiles(c);
      expect(problems.map((p) => p.path)).toContain('idps.corp.spPrivateKey');
      const text = JSON.stringify(problems);
      expect(text).toContain('neither PEM text nor a file name');
      expect(text).not.toContain(value.slice(0, 40));
      expect(text).not.toContain(value.split('\n')[0]!.slice(0, 40));
    }
  });

  test('every missing, unreadable or malformed file is a problem at its path; good files and inline PEM pass', async () => {
    const goodCert = join(dir, 'idp.crt');
    const goodKey = join(dir, 'saml.key');
    const notPem = join(dir, 'not-pem.crt');
    const unreadable = join(dir, 'unreadable.key');
    const notMetadata = join(dir, 'metadata.xml');
    await writeFile(goodCert, keys.certificatePem);
    await writeFile(goodKey, keys.privateKeyPem);
    await writeFile(notPem, 'hello');
    await writeFile(unreadable, keys.privateKeyPem);
    await chmod(unreadable, 0o000);
    await writeFile(notMetadata, '<html/>');
    const c = config({
      idps: [
        samlIdp({ certificates: [goodCert, join(dir, 'missing.crt'), keys.certificatePem] }),
        { ...samlIdp({ id: 'other', certificates: undefined, entryPoint: undefined, issuer: undefined }), metadata: notMetadata },
      ],
      issuer: {
        samlKeys: [{ privateKey: goodKey, certificate: notPem }],
        oidcKeys: [{ privateKey: unreadable }],
        subjectSecret: 's'.repeat(32),
      },
      store: { type: 'redis', url: 'rediss://redis.example.com', tls: { caFile: join(dir, 'no-ca.pem') } },
    });
    const problems = await checkConfigFiles(c);
    const root = process.getuid?.() === 0; // root reads a file whatever its mode
    expect(problems.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      [
        { path: 'idps.corp.certificates[1]', message: `cannot read ${join(dir, 'missing.crt')}: no such file` },
        { path: 'idps.other.metadata', message: `${notMetadata} is not SAML metadata (an EntityDescriptor)` },
        { path: 'issuer.samlKeys[0].certificate', message: `${notPem} is not a readable PEM certificate` },
        ...(root ? [] : [{ path: 'issuer.oidcKeys[0].privateKey', message: `cannot read ${unreadable}: permission denied` }]),
        { path: 'store.tls.caFile', message: `cannot read ${join(dir, 'no-ca.pem')}: no such file` },
      ].sort((a, b) => a.path.localeCompare(b.path)),
    );
  });
});

describe('checkConfigFiles: the IdP certificates as serve loads them', () => {
  test('a pinned IdP certificate whose key is under RSA-2048, or not RSA, is a problem at its path, as serve refuses it', async () => {
    const weakFile = join(dir, 'weak-idp.crt');
    await writeFile(weakFile, (await testKeyPair('weak idp', { rsaBits: 1024 })).certificatePem);
    const ec = (await testKeyPair('ec idp', { ecCurve: 'P-256' })).certificatePem;
    const c = config({ idps: [samlIdp({ certificates: [keys.certificatePem, weakFile, ec] })] });
    expect(await checkConfigFiles(c)).toEqual([
      { path: 'idps.corp.certificates[1]', message: "RSA keys need at least 2048 bits; this certificate's key is RSA-1024" },
      {
        path: 'idps.corp.certificates[2]',
        message: "a SAML signing key must be RSA (2048+ bits); this certificate's key is EC prime256v1",
      },
    ]);
  });
});

describe('checkConfigFiles: the issuer keys as serve loads them', () => {
  test('a certificate of another key, an EC or short RSA key where it cannot sign: problems at the pair (serve would refuse them)', async () => {
    const other = await testKeyPair('check-config-other');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const c = config({
      idps: [samlIdp({ certificates: [keys.certificatePem] })],
      issuer: {
        samlKeys: [
          { privateKey: keys.privateKeyPem, certificate: keys.certificatePem },
          { privateKey: keys.privateKeyPem, certificate: other.certificatePem },
          { privateKey: ec, certificate: keys.certificatePem },
        ],
        oidcKeys: [{ privateKey: ec }, { privateKey: p384 }, { privateKey: rsa1024 }],
        subjectSecret: 's'.repeat(32),
      },
    });
    expect(await checkConfigFiles(c)).toEqual([
      { path: 'issuer.samlKeys[1]', message: 'the certificate does not belong to the private key' },
      { path: 'issuer.samlKeys[2]', message: 'a SAML signing key must be RSA (2048+ bits)' },
      { path: 'issuer.oidcKeys[1]', message: 'use an RSA (2048+ bits) or EC P-256 key' },
      { path: 'issuer.oidcKeys[2]', message: 'RSA keys need at least 2048 bits' },
    ]);
  });

  test('an audit file that serve could not open (a directory, under a file): a problem at audit.destination; one it can create passes', async () => {
    const aFile = join(dir, 'not-a-dir.txt');
    await writeFile(aFile, 'x');
    const problemAt = async (destination: string) =>
      (await checkConfigFiles(config({ idps: [samlIdp({ certificates: [keys.certificatePem] })], audit: { destination } }))).map(
        (p) => p.message,
      );
    expect(await problemAt(dir)).toEqual([`${dir} is a directory: name a file in it`]);
    expect(await problemAt(`${aFile}/audit.log`)).toEqual([`cannot create ${aFile}/audit.log: ${aFile} is not a directory`]);
    expect(await problemAt(`${dir}/new/sub/audit.log`)).toEqual([]);
    expect(await problemAt(aFile)).toEqual([]);
    expect(await problemAt('stdout')).toEqual([]);
  });

  test('a private key file other users may read is a warning (not a refusal: containers mount secrets 0644); 0600 and inline PEM are not', async () => {
    const keyFile = join(dir, 'sp-0644.key');
    await writeFile(keyFile, keys.privateKeyPem);
    await chmod(keyFile, 0o644);
    const c = config({
      idps: [
        samlIdp({ certificates: [keys.certificatePem], spPrivateKey: keyFile, spCertificate: keys.certificatePem }),
        samlIdp({
          id: 'inline',
          certificates: [keys.certificatePem],
          spPrivateKey: keys.privateKeyPem,
          spCertificate: keys.certificatePem,
        }),
      ],
    });
    expect(await checkConfigFiles(c)).toEqual([]);
    expect(await keyFileWarnings(c)).toEqual([
      `idps.corp.spPrivateKey: ${keyFile} is a private key other users may read (mode 0644): chmod 600 it, owned by the user rambridge runs as`,
    ]);
    await chmod(keyFile, 0o600);
    expect(await keyFileWarnings(c)).toEqual([]);
  });

  test('a key listed twice (from a file and inline, or in another PEM encoding): a problem at the repeat, naming the first', async () => {
    const keyFile = join(dir, 'twice.key');
    await writeFile(keyFile, keys.privateKeyPem);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const c = config({
      idps: [samlIdp({ certificates: [keys.certificatePem] })],
      issuer: {
        samlKeys: [
          { privateKey: keyFile, certificate: keys.certificatePem },
          { privateKey: keys.privateKeyPem, certificate: keys.certificatePem },
        ],
        oidcKeys: [
          { privateKey: rsa.export({ type: 'pkcs8', format: 'pem' }) as string },
          { privateKey: keyFile },
          { privateKey: rsa.export({ type: 'pkcs1', format: 'pem' }) as string },
        ],
        subjectSecret: 's'.repeat(32),
      },
    });
    expect(await checkConfigFiles(c)).toEqual([
      { path: 'issuer.samlKeys[1]', message: 'the same key as issuer.samlKeys[0]' },
      { path: 'issuer.oidcKeys[2]', message: 'the same key as issuer.oidcKeys[0]' },
    ]);
  });
});

describe('checkIdpsOnline', () => {
  let op: FakeOp;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    op = await FakeOp.start();
    server = createServer((req, res) => {
      if (req.url === '/wrong/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ issuer: `${url}/wrong/` }));
      } else if (req.url === '/metadata.xml') {
        res.writeHead(200, { 'content-type': 'application/xml' });
        res.end(idpMetadataXml(keys.certificatePem));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await op.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const oidc = (id: string, issuer: string) => ({ id, type: 'oidc', issuer, clientId: 'rambridge', insecureAllowHttp: true });

  test('reports an unreachable issuer, a 404, a differing issuer (both shown) and a differing SAML entityID; a good IdP passes', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const c = config({
      idps: [
        oidc('good', op.issuer),
        // Written with a slash its discovery document leaves out: the same issuer, as sign-in decides.
        oidc('good-slash', `${op.issuer}/`),
        oidc('down', `http://127.0.0.1:${closedPort}`),
        oidc('missing', `${url}/nothing`),
        oidc('wrong', `${url}/wrong`),
        { id: 'saml-ok', type: 'saml', metadata: `${url}/metadata.xml` },
        { id: 'saml-other', type: 'saml', metadata: `${url}/metadata.xml`, issuer: 'https://someone-else.example.com' },
        { id: 'saml-404', type: 'saml', metadata: `${url}/gone.xml` },
      ],
    });
    const problems = await checkIdpsOnline(c);
    expect(Object.fromEntries(problems.map((p) => [p.path, p.message]))).toEqual({
      'idps.down.issuer': `OIDC discovery at http://127.0.0.1:${closedPort}/.well-known/openid-configuration: unreachable (ECONNREFUSED)`,
      'idps.missing.issuer': `OIDC discovery at ${url}/nothing/.well-known/openid-configuration: HTTP 404`,
      'idps.wrong.issuer': `the IdP's discovery names issuer "${url}/wrong/" but the configuration says "${url}/wrong"`,
      'idps.saml-other.issuer': `the IdP's metadata names entityID "${IDP_ENTITY_ID}" but the configuration says "https://someone-else.example.com"`,
      'idps.saml-404.metadata': `SAML metadata at ${url}/gone.xml: HTTP 404`,
    });
  });
});

describe('rambridge check-config and serve (built command)', () => {
  const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH }, timeout: 20_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  const withMissingKeys = async () => {
    const file = join(dir, 'bridge.yaml');
    await writeFile(
      file,
      [
        `server: {publicUrl: "https://bridge.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}`,
        'idps: [{id: corp, type: oidc, issuer: "https://idp.example.com", clientId: rambridge}]',
        `issuer: {samlKeys: [{privateKey: "${dir}/gone.key", certificate: "${dir}/gone.crt"}], oidcKeys: [{privateKey: "${dir}/gone-oidc.key"}], subjectSecret: "${'s'.repeat(32)}"}`,
      ].join('\n'),
    );
    return file;
  };

  const withOidcKeyTwice = async () => {
    const keyFile = join(dir, 'oidc-twice.key');
    await writeFile(keyFile, keys.privateKeyPem);
    const samlKey = join(dir, 'saml-once.key');
    const samlCert = join(dir, 'saml-once.crt');
    const saml = await testKeyPair('check-config-saml');
    await writeFile(samlKey, saml.privateKeyPem);
    await writeFile(samlCert, saml.certificatePem);
    const file = join(dir, 'oidc-twice.yaml');
    await writeFile(
      file,
      [
        `server: {publicUrl: "https://bridge.example.com", sessionSecrets: ["${'k'.repeat(32)}"]}`,
        'idps: [{id: corp, type: oidc, issuer: "https://idp.example.com", clientId: rambridge}]',
        `issuer: {samlKeys: [{privateKey: "${samlKey}", certificate: "${samlCert}"}], oidcKeys: [{privateKey: "${keyFile}"}, {privateKey: "${keyFile}"}], subjectSecret: "${'s'.repeat(32)}"}`,
      ].join('\n'),
    );
    return file;
  };

  test.each([
    ['check-config', ['check-config']],
    ['serve', ['serve', '--port', '0', '--config']],
  ])('%s: the same OIDC key listed twice is a configuration problem (exit 2), not “valid” nor a bug', async (_name, args) => {
    const r = await run([...args, await withOidcKeyTwice()]);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('valid');
    expect(r.stderr).toContain('issuer.oidcKeys[1]: the same key as issuer.oidcKeys[0]');
    expect(r.stderr).not.toContain('bug');
  });

  const withServer = async (name: string, server: string, extra = '') => {
    const file = join(dir, `${name}.yaml`);
    await writeFile(
      file,
      [
        `server: {publicUrl: "http://127.0.0.1:8080", sessionSecrets: ["${'k'.repeat(32)}"], ${server}}`,
        'idps: [{id: corp, type: oidc, issuer: "https://idp.example.com", clientId: rambridge}]',
        extra,
      ].join('\n'),
    );
    return file;
  };

  test.each([
    ['a host that does not resolve', 'host: "not a host"', 'server.host: not a host does not resolve (ENOTFOUND)'],
    ['a host that is not this machine’s', 'host: "192.0.2.1"', 'server.host: 192.0.2.1 is not an address of this machine (EADDRNOTAVAIL)'],
  ])('serve: %s is a configuration problem (exit 2), not “a bug in rambridge”', async (_name, server, expected) => {
    const file = await withServer('listen', server);
    const r = await run(['serve', '--port', '0', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} is not a valid configuration (1 problem):`);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).not.toContain('bug');
  });

  test('check-config and serve: an audit destination that is a directory: exit 2 at audit.destination', async () => {
    const file = await withServer('audit-dir', 'host: "127.0.0.1"', `audit: {destination: "${dir}"}`);
    for (const args of [
      ['check-config', file],
      ['serve', '--port', '0', '--config', file],
    ]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`audit.destination: ${dir} is a directory: name a file in it`);
      expect(r.stderr).not.toContain('bug');
    }
  });

  test('check-config and serve: an issuer key file readable by others is warned, and they carry on', async () => {
    const keyFile = join(dir, 'oidc-0640.key');
    await writeFile(keyFile, keys.privateKeyPem);
    await chmod(keyFile, 0o640);
    const saml = await testKeyPair('check-config-readable');
    const [samlKey, samlCert] = [join(dir, 'saml-0600.key'), join(dir, 'saml-0600.crt')];
    await writeFile(samlKey, saml.privateKeyPem, { mode: 0o600 });
    await writeFile(samlCert, saml.certificatePem);
    const file = await withServer(
      'readable-key',
      'host: "127.0.0.1"',
      `issuer: {oidcKeys: [{privateKey: "${keyFile}"}], samlKeys: [{privateKey: "${samlKey}", certificate: "${samlCert}"}], subjectSecret: "${'s'.repeat(32)}"}`,
    );
    const warning = `issuer.oidcKeys[0].privateKey: ${keyFile} is a private key other users may read (mode 0640)`;
    const checked = await run(['check-config', file]);
    expect(checked.code).toBe(0);
    expect(checked.stdout).toContain(warning);
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--config', file], { env: { PATH: process.env.PATH } });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', () => out.includes('"event":"listening"') && resolve());
      child.on('exit', () => resolve());
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
    expect(out).toContain(warning);
    expect(out).toContain('"event":"insecure-setting"');
  });

  test('check-config: a key file that is not there: exit 2 naming the path, not "valid"', async () => {
    const r = await run(['check-config', await withMissingKeys()]);
    expect(r.code).toBe(2);
    expect(r.stdout).not.toContain('valid');
    expect(r.stderr).toContain(`issuer.samlKeys[0].privateKey: cannot read ${dir}/gone.key: no such file`);
    expect(r.stderr).toContain(`issuer.oidcKeys[0].privateKey: cannot read ${dir}/gone-oidc.key: no such file`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
  });

  test('serve: the same problems, each with its path, before anything starts (exit 2, no stack)', async () => {
    const r = await run(['serve', '--config', await withMissingKeys(), '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`issuer.samlKeys[0].privateKey: cannot read ${dir}/gone.key: no such file`);
    expect(r.stderr).toContain(`issuer.oidcKeys[0].privateKey: cannot read ${dir}/gone-oidc.key: no such file`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
