import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { bodyParser } from '@koa/bodyparser';
import { Router } from '@koa/router';
import Koa, { type Context, type Next } from 'koa';
import { systemClock, type Clock } from '../clock.js';
import { silentLogger, type Logger } from '../log.js';
import type { EmulatorConfig } from './config-schema.js';
import { consolePage } from './console.js';
import { debugSession } from './debug.js';
import type { EmulatorDeps } from './deps.js';
import { Directory } from './directory.js';
import { handleRequests } from './http.js';
import { unreadableRequest } from './errors.js';
import { cryptoRandom, type Random } from './random.js';
import { RemoteDocuments, type Fetch } from './remote-documents.js';
import { roleChoice, roleSso } from './role-sso.js';
import { stsRpc } from './rpc.js';
import { federation } from './signin.js';
import { EmulatorState } from './state.js';
import { isLoopbackHost } from './url-rules.js';

/**
 * The local Alibaba Cloud stand-in. Routes:
 *
 *   GET|POST /                 STS RPC: AssumeRoleWithSAML, AssumeRoleWithOIDC, AssumeRole, GetCallerIdentity
 *   GET|POST /federation       sign-in: GetSigninToken, Login
 *   POST     /saml-role/sso    role-based SSO (SAMLResponse, RelayState); POST /saml-role/sso/choose
 *   GET      /console[/…]      the console stand-in
 *   GET      /debug/session    a session's effective permissions (loopback only)
 */

export interface EmulatorAppOptions {
  config: EmulatorConfig;
  /** The origin clients reach the emulator at; sign-in destinations must be on it. */
  origin: string;
  clock?: Clock;
  random?: Random;
  logger?: Logger;
  /** How IdP metadata, OIDC discovery and JWKS are fetched (tests may stub it). */
  fetch?: Fetch;
  /** Serve GET /debug/session. Leave off unless the emulator is reachable from loopback only. */
  debugEndpoints?: boolean;
}

/** The emulator as a Koa app, not listening (tests use `app.callback()`). */
export function createEmulatorApp(options: EmulatorAppOptions): Koa {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? cryptoRandom;
  const deps: EmulatorDeps = {
    directory: new Directory(options.config),
    state: new EmulatorState(clock, random),
    documents: new RemoteDocuments({
      clock,
      fetch: options.fetch,
      allowInsecureLoopback: options.config.allowInsecureLoopbackIssuers,
    }),
    clock,
    random,
    logger: options.logger ?? silentLogger(),
    origin: options.origin,
    debugEndpoints: options.debugEndpoints ?? false,
  };

  const [rpc, signin, showConsole] = [stsRpc(deps), federation(deps), consolePage(deps)];
  const router = new Router();
  router.get('/', rpc).post('/', rpc);
  router.get('/federation', signin).post('/federation', signin);
  router.post('/saml-role/sso', roleSso(deps)).post('/saml-role/sso/choose', roleChoice(deps));
  router.get('/console', showConsole).get('/console/{*rest}', showConsole);
  if (deps.debugEndpoints) router.get('/debug/session', debugSession(deps));

  const app = new Koa();
  app.use(handleRequests(deps));
  app.use(refuseEncodedBodies);
  // Forms only: the SAML assertion alone may be 100,000 characters, percent-encoded on top.
  app.use(bodyParser({ enableTypes: ['form'], formLimit: '512kb' }));
  app.use(router.routes()).use(router.allowedMethods());
  return app;
}

export interface StartEmulatorOptions extends Omit<EmulatorAppOptions, 'origin' | 'debugEndpoints'> {
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /**
   * Serve HTTPS with this PEM key and certificate. For clients that hard-code https: the
   * `ram_role_arn` and `oidc_role_arn` providers of @alicloud/credentials and the aliyun CLI.
   */
  tls?: { key: string; cert: string };
}

export interface RunningEmulator {
  /** `http://host:port`, no trailing slash. */
  url: string;
  close(): Promise<void>;
}

/** Starts the emulator (HTTP, or HTTPS with `tls`); the debug endpoint is on when listening on loopback. */
export async function startEmulator(options: StartEmulatorOptions): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger();
  if (options.config.allowInsecureLoopbackIssuers) {
    logger.warn('allowInsecureLoopbackIssuers is on: plain-http issuers and metadata on loopback are trusted');
  }
  // The SDK puts SAMLAssertion (up to 100,000 characters) in the query string; Node's default
  // 16 KiB header limit would refuse such a request line.
  const maxHeaderSize = 256 * 1024;
  const server: Server = options.tls ? createTlsServer({ ...options.tls, maxHeaderSize }) : createServer({ maxHeaderSize });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 9090, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const app = createEmulatorApp({ ...options, logger, origin: url, debugEndpoints: isLoopbackHost(host) });
  const handle = app.callback(); // Koa settles its own errors: the promise never rejects
  server.on('request', (req, res) => void handle(req, res));
  logger.info({ url }, 'emulator listening');
  return {
    url,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/**
 * No client compresses what it posts to STS; a body with a Content-Encoding is refused before the
 * body parser inflates it (a corrupt stream would otherwise surface as an InternalError 500).
 */
async function refuseEncodedBodies(ctx: Context, next: Next): Promise<void> {
  const encoding = ctx.get('Content-Encoding').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') throw unreadableRequest(400, `Content-Encoding ${encoding.slice(0, 40)}`);
  await next();
}
