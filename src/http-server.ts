import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { BatchedResponse } from './batched-response.js';

/** Start-up takes a second or two (keys, IdP discovery): a client retrying after one second meets the app. */
const STARTING_UP_RETRY_AFTER_SECONDS = 1;

/**
 * How long an idle keep-alive connection stays open: longer than a load balancer's idle timeout
 * (60 s by default on most, the longest operations.md suggests), so the balancer always closes
 * first. Node's own 5 s makes a balancer that reuses its connections send requests down sockets
 * the bridge is closing at that moment, and its users get an occasional 502.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** How often a graceful close looks for sockets that went idle, so they close soon after their last answer. */
const IDLE_SWEEP_MS = 100;

/** The bridge's HTTP server: long keep-alive, and the answers of one event-loop turn written together. */
export function createBridgeServer(handler: RequestListener = answerStartingUp): Server {
  return createServer({ keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, ServerResponse: BatchedResponse }, handler);
}

/**
 * Binds `host:port` before the app exists, answering every request `503` with `Retry-After` until
 * the caller attaches the real handler (`startBridge({ server })`). Binding first is how the demo
 * learns its port; without an answer, a browser or health check reaching the port during start-up
 * would hang until its own timeout instead of retrying.
 */
export async function listenStartingUp(host: string, port: number): Promise<Server> {
  const server = createBridgeServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** Replaces the start-up answer (or any earlier handler) with the app: from now on it answers. */
export function serveWith(server: Server, handler: RequestListener): void {
  server.removeAllListeners('request');
  server.on('request', handler);
}

/** The start-up answer: short, uncached, and closing the connection so a retry meets the real app. */
export function answerStartingUp(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(503, {
    'Retry-After': String(STARTING_UP_RETRY_AFTER_SECONDS),
    'Cache-Control': 'no-store',
    'Content-Type': 'text/plain; charset=utf-8',
    Connection: 'close',
  });
  res.end('rambridge is starting; retry in a second.\n');
}

/**
 * Stops accepting connections and resolves once the server is closed. Idle keep-alive connections
 * close at once; requests in flight get `graceMs` to finish, then every remaining connection is
 * destroyed: `server.close()` alone waits for as long as any client keeps a socket open, so one
 * idle browser tab or a half-sent request would keep a stopping bridge alive forever.
 */
export async function closeGracefully(server: Server, graceMs: number): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Requests finishing during the grace period leave idle sockets behind: close those too.
  const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
  await Promise.race([closed, deadline]);
  clearInterval(sweep);
  clearTimeout(timer);
  server.closeAllConnections();
  await closed;
}
