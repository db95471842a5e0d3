import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.js';
import { ManualClock } from '../../src/clock.js';
import type { BridgeConfig } from '../../src/config/index.js';
import { BridgeIssuer } from '../../src/issuer/index.js';
import { createLogger } from '../../src/log.js';
import { MemoryStore } from '../../src/store/index.js';
import type { RoleActions } from '../../src/web/role-actions.js';
import { demoConfig } from './config.js';
import type { FakeOp } from './fake-op.js';

/** A bridge app on the demo config pointed at `op`, with a manual clock and captured log lines. */
export async function testBridge(op: { issuer: string; clientSecret: string }, options: { actions?: RoleActions; config?: (c: BridgeConfig) => void } = {}) {
  const config = await demoConfig({ idpUrl: op.issuer, clientSecret: op.clientSecret, publicUrl: 'http://127.0.0.1:8080' });
  options.config?.(config);
  const clock = new ManualClock(Date.now());
  const store = new MemoryStore(clock);
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  });
  const issuer = config.issuer && (await BridgeIssuer.create(config.issuer, config.alibaba, config.server.publicUrl));
  const app = createApp({ config, store, logger, clock, issuer, actions: options.actions });
  return { app, config, clock, store, logLines, issuer, agent: () => request.agent(app.callback()) };
}

/** Drives a full browser sign-in: /login → fake OP → callback. Returns the callback response. */
export async function loginThroughFakeOp(agent: TestAgent, op: FakeOp, returnTo?: string) {
  const start = await agent.get(returnTo ? `/login?return_to=${encodeURIComponent(returnTo)}` : '/login').expect(302);
  const callback = await followOp(start.headers.location!);
  return agent.get(callback.pathname + callback.search);
}

/** Follows the OP's authorization redirect and returns the callback URL it sends the browser to. */
export async function followOp(authorizeUrl: string): Promise<URL> {
  const res = await fetch(authorizeUrl, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`OP answered ${res.status}`);
  return new URL(res.headers.get('location')!);
}
