import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { silentLogger } from '../log.js';
import { generateDevIdpKeys } from './keys.js';
import type { DevIdpOptions } from './options.js';
import { buildDevIdp } from './provider.js';

/** A running development IdP. */
export interface RunningDevIdp {
  /** The issuer identifier, `http://<host>:<port>`; discovery is at `${issuer}/.well-known/openid-configuration`. */
  readonly issuer: string;
  /** Base URL to print or open; the same as `issuer` (the provider is mounted at the root). */
  readonly url: string;
  /** Stops listening and drops open connections; in-memory sessions and tokens are lost. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/**
 * Starts the development IdP. The issuer is plain `http://` on a loopback address: acceptable only
 * because it is a local development and test tool; a real IdP's issuer must be `https://`.
 */
export async function startDevIdp(options: DevIdpOptions): Promise<RunningDevIdp> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? silentLogger();
  // Keys first: once listening, the provider is attached synchronously, so no request finds no handler.
  const keys = await generateDevIdpKeys();
  const server = createServer();
  const { port } = await listen(server, options.port ?? 0, host);

  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  try {
    const handle = buildDevIdp({ ...options, issuer }, keys).callback(); // Koa settles its own errors
    server.on('request', (req, res) => void handle(req, res));
  } catch (err) {
    server.close();
    throw err;
  }
  logger.warn({ issuer }, 'rambridge development IdP listening (demo users, in-memory state) — not for production');

  return {
    issuer,
    url: issuer,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Keep-alive connections from browsers and fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
