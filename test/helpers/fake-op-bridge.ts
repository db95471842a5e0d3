import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import type { BridgeConfig } from '../../src/config/index.js';
import { listenStartingUp, serveWith } from '../../src/http-server.js';
import { silentLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/index.js';
import { demoConfig } from './config.js';
import { FakeOp } from './fake-op.js';

/**
 * A bridge of its own on the demo configuration, listening on a free port, whose one IdP is a
 * FakeOp that signs in `op.user` at once: for browser tests of a page the shared demo cannot show
 * (a configuration or a user it does not have).
 */
export async function listeningBridgeOnFakeOp(configure: (config: BridgeConfig) => void = () => undefined) {
  const op = await FakeOp.start();
  const server: Server = await listenStartingUp('127.0.0.1', 0);
  const bridgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = await demoConfig({ publicUrl: bridgeUrl, idpUrl: op.issuer, clientSecret: 'fake-op-secret' });
  configure(config);
  const clock = new ManualClock(Date.now());
  const app = createApp({ config, store: new MemoryStore(clock), logger: silentLogger(), clock });
  const handle = app.callback();
  serveWith(server, (req, res) => void handle(req, res));
  return {
    op,
    bridgeUrl,
    /** The bridge's clock (the FakeOp keeps real time unless told to follow it: `op.now`). */
    clock,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await op.close();
    },
  };
}
