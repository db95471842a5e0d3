import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { SamlIdp } from '../../config/index.js';
import { samlIdpSchema } from '../../config/saml.js';
import { resolveSamlIdp } from '../../config/validate.js';
import { prepareWorkspace, writeSettings, type SimpleSamlPhpSp, type SimpleSamlPhpUser } from './workspace.js';

export type { SimpleSamlPhpSp, SimpleSamlPhpUser } from './workspace.js';

/**
 * Debian's SimpleSAMLphp as a real SAML 2.0 IdP on loopback, for the demo and the interop tests:
 * PHP's built-in server, the `exampleauth:UserPass` source with the given users, one SP (rambridge).
 * Development only: plain http, demo passwords.
 */
const WEB_ROOT = '/usr/share/simplesamlphp/www';

export interface SimpleSamlPhpOptions {
  /** 0 (default) = any free port. */
  port?: number;
  sp: SimpleSamlPhpSp;
  users: readonly SimpleSamlPhpUser[];
  /**
   * The host name in its URLs (it listens on 127.0.0.1 either way). `localhost` makes it another
   * site than a bridge on 127.0.0.1, as a production IdP is: its answer is then a cross-site POST.
   */
  urlHost?: '127.0.0.1' | 'localhost';
}

export interface RunningSimpleSamlPhp {
  url: string;
  /** The IdP's entityID (also its metadata URL). */
  entityId: string;
  /** The SSO endpoint for AuthnRequests (HTTP-Redirect binding). */
  ssoUrl: string;
  /** The IdP's signing certificate (PEM), fresh at every start. */
  certificatePem: string;
  /** SimpleSAMLphp's own log, for when a sign-in fails on its side. */
  logFile: string;
  close(): Promise<void>;
}

/** Whether the Debian packages are installed (the demo offers SAML sign-in only then). */
export function simpleSamlPhpInstalled(): boolean {
  try {
    accessSync(join(WEB_ROOT, 'saml2/idp/SSOService.php'), constants.R_OK);
    accessSync('/usr/bin/php', constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function startSimpleSamlPhp(options: SimpleSamlPhpOptions): Promise<RunningSimpleSamlPhp> {
  const ws = await prepareWorkspace();
  // Its own process group (setsid), so closing stops the workers with it; 4 workers because the
  // built-in server is otherwise single-threaded and a browser fetches assets in parallel.
  const php = spawn('php', ['-S', `127.0.0.1:${options.port ?? 0}`, '-t', WEB_ROOT], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, SIMPLESAMLPHP_CONFIG_DIR: ws.configDir, PHP_CLI_SERVER_WORKERS: '4' },
  });
  const stopGroup = () => killGroup(php);
  process.once('exit', stopGroup);
  const close = async () => {
    process.removeListener('exit', stopGroup);
    await stop(php);
    await rm(ws.dir, { recursive: true, force: true });
  };
  try {
    const url = (await listeningUrl(php)).replace('//127.0.0.1:', `//${options.urlHost ?? '127.0.0.1'}:`);
    await writeSettings(ws, url, options.sp, options.users);
    const entityId = `${url}/saml2/idp/metadata.php`;
    await waitUntilServing(entityId);
    return {
      url,
      entityId,
      ssoUrl: `${url}/saml2/idp/SSOService.php`,
      certificatePem: await readFile(ws.certificateFile, 'utf8'),
      logFile: join(ws.dir, 'log/simplesamlphp.log'),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The bridge's SAML IdP entry for a running instance, as if written in YAML: pinned entry point,
 * entityID and certificate, NameID as email (what the instance sends). Register the instance with
 * `samlSpEndpoints(publicUrl, id)` as its SP.
 */
export function simpleSamlPhpIdp(
  ssp: RunningSimpleSamlPhp,
  id: string,
  publicUrl: string,
  sp?: { privateKeyPem: string; certificatePem: string },
): SamlIdp {
  const entry = {
    id,
    type: 'saml',
    displayName: 'Demo IdP (SAML, SimpleSAMLphp)',
    nameIdFormat: 'emailAddress',
    // The demo's accounts are written in its config; nobody there chooses their own address.
    emailVerified: true,
    entryPoint: ssp.ssoUrl,
    issuer: ssp.entityId,
    certificates: [ssp.certificatePem],
    ...(sp && { spPrivateKey: sp.privateKeyPem, spCertificate: sp.certificatePem }),
  };
  return resolveSamlIdp(samlIdpSchema.parse(entry), publicUrl);
}

/**
 * PHP's built-in server starts in well under a second and SimpleSAMLphp answers its first request
 * within a few (it compiles its templates): generous bounds, since this runs on loaded CI machines,
 * and a clear error instead of a hang when PHP is broken.
 */
const START_TIMEOUT_MS = 10_000;
const SERVING_TIMEOUT_MS = 15_000;
const PROBE_TIMEOUT_MS = 2_000;
const PROBE_INTERVAL_MS = 100;
/** SIGTERM first; a PHP that has not exited after this is killed. */
const STOP_GRACE_MS = 5_000;

/** PHP prints "Development Server (http://127.0.0.1:PORT) started" once it listens, port 0 resolved. */
function listeningUrl(php: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`php -S did not start: ${output.slice(-500)}`)), START_TIMEOUT_MS);
    php.once('error', reject);
    php.once('exit', (code) => reject(new Error(`php -S exited (${code}): ${output.slice(-500)}`)));
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Development Server \((http:\/\/127\.0\.0\.1:\d+)\) started/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      // From now on only the access log comes: drain it unread, so PHP never blocks on a full pipe.
      php.stderr!.removeListener('data', onData);
      php.stderr!.resume();
      resolve(match[1]!);
    };
    php.stderr!.on('data', onData);
  });
}

async function waitUntilServing(metadataUrl: string): Promise<void> {
  const deadline = Date.now() + SERVING_TIMEOUT_MS;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(metadataUrl, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      if (res.ok) return;
      last = `${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, PROBE_INTERVAL_MS));
  }
  throw new Error(`SimpleSAMLphp did not serve its metadata: ${last}`);
}

async function stop(php: ChildProcess): Promise<void> {
  // No pid: it never started (php missing), and 'exit' may never come.
  if (php.pid === undefined || php.exitCode !== null || php.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => php.once('exit', () => resolve()));
  killGroup(php);
  const timer = setTimeout(() => killGroup(php, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** Signals the whole process group this module started (the server and its workers), nothing else. */
function killGroup(php: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    if (php.pid !== undefined) process.kill(-php.pid, signal);
  } catch {
    // already gone
  }
}
