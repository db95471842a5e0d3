import { execFile, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The package employees install (docs/cli.md "Installing it"): `npm pack` of a checkout that was
 * never built must still give a tarball whose installed `rambridge` runs. The checkout is a copy
 * without dist/, so the `prepack` build is what puts dist/ in, and the repository's own dist/ (which
 * other tests run) is never rebuilt under them.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

/** Top-level entries of the checkout that a packing copy does without. */
const NOT_COPIED = new Set(['node_modules', 'dist', '.git', 'data', 'test', 'test-artifacts', 'coverage']);

/** What may be in the tarball: the launcher, the build, what the build reads at run time, docs. */
const PACKAGED =
  /^(package\.json|README\.md|bin\/(rambridge\.js|package\.json)|dist\/.+\.c?js|views\/.+\.eta|src\/web\/assets\/[^/]+|config\/[^/]+\.yaml|scripts\/simplesamlphp\/.+\.php|docs\/[^/]+\.md)$/;

/** Placeholders for the demo configuration's ${…} secrets: `explain` validates the whole file. */
const demoEnv = {
  RAMBRIDGE_SESSION_SECRET: 's'.repeat(40),
  RAMBRIDGE_DEMO_CLIENT_SECRET: 'c',
  RAMBRIDGE_DEMO_SAML_KEY: 'saml.key',
  RAMBRIDGE_DEMO_SAML_CERT: 'saml.crt',
  RAMBRIDGE_DEMO_OIDC_KEY: 'oidc.key',
  RAMBRIDGE_DEMO_SUBJECT_SECRET: 'x'.repeat(32),
};

const run = promisify(execFile);

/** npm as a user runs it: without the npm_* settings of an `npm run` this test may be inside of. */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  return run('npm', args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
}

let work: string;
let files: string[];
let prefix: string;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'rambridge-package-'));
  const checkout = join(work, 'checkout');
  cpSync(root, checkout, { recursive: true, filter: (path) => !NOT_COPIED.has(relative(root, path).split(sep)[0]!) });
  // The build needs the type packages; nothing from node_modules goes into the tarball.
  symlinkSync(join(root, 'node_modules'), join(checkout, 'node_modules'));

  const packed = JSON.parse((await npm(['pack', '--json', '--pack-destination', work], checkout)).stdout) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  files = packed[0]!.files.map((f) => f.path);

  // Dependencies from the npm cache when it has them (offline CI keeps one), else the registry.
  prefix = join(work, 'prefix');
  await npm(
    ['install', '--prefix', prefix, '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', join(work, packed[0]!.filename)],
    work,
  );
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

/** The installed command as an employee runs it: the linked bin, from a directory that is not the checkout. */
const installed = () => join(prefix, 'node_modules', '.bin', 'rambridge');
const rambridge = (args: string[]) => run(installed(), args, { cwd: work, env: { PATH: process.env.PATH, HOME: work, ...demoEnv } });

test('the tarball holds the build and what it reads at run time, and nothing else', () => {
  expect(files).toEqual(expect.arrayContaining(['bin/rambridge.js', 'dist/cli/main.js', 'views/layout.eta', 'config/demo.yaml']));
  expect(files.filter((path) => !PACKAGED.test(path))).toEqual([]);
});

test('the installed rambridge runs --version and explain', async () => {
  await expect(rambridge(['--version'])).resolves.toMatchObject({ stdout: `${version}\n` });
  const installedDemo = join(prefix, 'node_modules', 'rambridge', 'config', 'demo.yaml');
  const explained = await rambridge(['explain', '--config', installedDemo, '--groups', 'rambridge-readonly']);
  expect(explained.stdout).toMatch(/^dev-readonly {2}acs:ram::1111222233334444:role\/rambridge-dev-readonly$/m);
  expect(explained.stdout).toMatch(/^prod-readonly {2}acs:ram::5555666677778888:role\/rambridge-prod-readonly$/m);
  // `creds --format process` goes through the CommonJS fast path first, then the full CLI.
  await expect(rambridge(['creds', 'dev-readonly', '--format', 'process'])).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringContaining('No rambridge server is configured'),
  });
});

test('the installed rambridge demo serves its pages and assets from the package', async () => {
  const ports = ['--port', '0', '--idp-port', '0', '--saml-idp-port', '0', '--emulator-port', '0', '--log-level', 'error'];
  const demo = spawn(installed(), ['demo', ...ports], { cwd: work, env: { PATH: process.env.PATH, HOME: work } });
  const exited = new Promise((resolve) => demo.on('close', resolve));
  try {
    const bridgeUrl = await new Promise<string>((resolve, reject) => {
      let out = '';
      let err = '';
      demo.stdout.on('data', (d) => {
        out += d;
        const url = /Open\s+(http:\/\/127\.0\.0\.1:\d+)\/roles/.exec(out)?.[1];
        if (url) resolve(url);
      });
      demo.stderr.on('data', (d) => (err += d));
      void exited.then(() => reject(new Error(`rambridge demo exited: ${err}`)));
    });
    // The IdP chooser is a view (views/), and the stylesheet a static asset (src/web/assets/).
    const login = await fetch(`${bridgeUrl}/login`);
    expect(login.status).toBe(200);
    expect(await login.text()).toContain('data-testid="idp-demo"');
    const css = await fetch(`${bridgeUrl}/assets/app.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    // The picker's matcher is the compiled CLI matcher from dist/, which the package carries too.
    const matcher = await fetch(`${bridgeUrl}/assets/fuzzy.js`);
    expect(matcher.status).toBe(200);
    expect(await matcher.text()).toContain('export function fuzzyScore');
  } finally {
    demo.kill('SIGTERM');
    await exited;
  }
});
