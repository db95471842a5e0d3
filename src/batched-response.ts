import { ServerResponse, type IncomingMessage } from 'node:http';

type EndArgs = Parameters<ServerResponse['end']>;

/** The ends asked for during this turn of the event loop, written together once it has run. */
let queued: [ServerResponse, EndArgs][] = [];

function writeQueued(): void {
  const batch = queued;
  queued = [];
  for (const [res, args] of batch) {
    try {
      ServerResponse.prototype.end.apply(res, args);
    } catch {
      // Only a broken response throws here (a body that is not its Content-Length): its
      // connection is cut, and the rest of the batch is still written.
      res.destroy();
    }
  }
}

/**
 * A response that writes its end (headers and body, one system call) once the current turn of
 * the event loop has handled every request that arrived in it, rather than at once.
 *
 * Why: writing an answer wakes the client. When the client is asleep — a load balancer or sidecar
 * on the same host, or a load generator, waiting for its next answer — each wake-up costs the
 * writing CPU an inter-processor interrupt, and on a virtual machine that halts idle vCPUs that is
 * a third of a `GET /api/roles` (bench/README.md, round 15). Written together, the answers of one
 * turn wake the client once. A response waits at most for the other requests of its turn
 * (microseconds each on the API routes); alone, it goes out in the same turn.
 */
export class BatchedResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  override end(...args: unknown[]): this {
    if (queued.length === 0) setImmediate(writeQueued);
    queued.push([this, args as EndArgs]);
    return this;
  }
}
