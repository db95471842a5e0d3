import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expiresLocally, type Expiring } from './credential-cache.js';
import { printable } from './printable.js';
import { isoSeconds } from '../../iso-time.js';
import { sameSecret } from '../../secret-compare.js';

/** The only address it listens on: never reachable from the network. */
export const LOOPBACK = '127.0.0.1';

export interface CredentialServerOptions {
  port: number;
  /** Called for every accepted request; the cache makes repeated calls cheap. */
  credentials(): Promise<Expiring>;
  /** One line per request, for the person running the server: control characters already replaced. */
  log(line: string): void;
}

export interface RunningCredentialServer {
  /** The `ALIBABA_CLOUD_CREDENTIALS_URI`, secret path included. */
  uri: string;
  close(): Promise<void>;
}

const BROWSER_ONLY_HEADERS = ['origin', 'referer', 'sec-fetch-site', 'sec-fetch-dest', 'sec-fetch-user'] as const;

export interface Refusal {
  status: number;
  reason: string;
}

/**
 * Decides whether a request may have the credentials. The aliyun CLI and the SDKs send a plain GET
 * with no authentication header, so what protects the keys is: loopback only, a 256-bit random path,
 * and refusing anything a web browser could send (aws-vault#198: a local credential server is
 * reachable from every web page through CSRF and DNS rebinding).
 *  - `Origin`, `Referer`, `Sec-Fetch-Site`, `-Dest` or `-User`: only browsers send them (on every
 *    request to 127.0.0.1). `Sec-Fetch-Mode` alone is let through: Node's fetch adds it to every
 *    request, so refusing it would lock out Node tools while stopping no browser.
 *  - a Host other than 127.0.0.1:<port>: a rebinding attacker's page has its own host name there.
 */
export function refusal(
  request: { method?: string; url?: string; headers: IncomingHttpHeaders },
  expected: { host: string; path: string },
): Refusal | undefined {
  const { headers } = request;
  if (BROWSER_ONLY_HEADERS.some((h) => headers[h] !== undefined)) {
    return { status: 403, reason: 'a browser request' };
  }
  if (headers.host !== expected.host) return { status: 403, reason: `Host "${headers.host ?? ''}" is not ${expected.host}` };
  if (request.method !== 'GET') return { status: 405, reason: `method ${request.method}` };
  const path = (request.url ?? '').split('?')[0]!;
  if (!sameSecret(path, expected.path)) return { status: 404, reason: 'wrong path' };
  return undefined;
}

/**
 * The CredentialsURI answer the aliyun CLI (which insists on Code) and the SDKs read. They keep the
 * keys until `Expiration` by this machine's clock, so that is when they expire by it (`expiresLocally`).
 */
export function credentialsUriBody({ credentials, localExpiresAt }: Expiring): Record<string, string> {
  return {
    Code: 'Success',
    AccessKeyId: credentials.accessKeyId,
    AccessKeySecret: credentials.accessKeySecret,
    SecurityToken: credentials.securityToken,
    Expiration: isoSeconds(expiresLocally({ credentials, localExpiresAt })),
  };
}

export async function startCredentialServer(options: CredentialServerOptions): Promise<RunningCredentialServer> {
  const path = `/${randomBytes(32).toString('base64url')}`;
  let host = '';
  // Lines carry what any local program sent (its Host header) and the bridge's error messages, on
  // their way to a terminal.
  const log = (line: string) => options.log(printable(line));
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const refused = refusal(req, { host, path });
    if (refused) {
      log(`refused a request: ${refused.reason}`);
      return send(refused.status, { Code: 'Refused' });
    }
    options.credentials().then(
      (credentials) => send(200, credentialsUriBody(credentials)),
      (err: unknown) => {
        log(`could not get credentials: ${err instanceof Error ? err.message : String(err)}`);
        send(503, { Code: 'Unavailable', Message: err instanceof Error ? err.message : 'unavailable' });
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  host = `${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  return {
    uri: `http://${host}${path}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
