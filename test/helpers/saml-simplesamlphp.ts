import type { AddressInfo } from 'node:net';
import type { BridgeConfig } from '../../src/config/index.js';
import { samlSpEndpoints } from '../../src/config/validate.js';
import { DEMO_USERS } from '../../src/devidp/index.js';
import { startSimpleSamlPhp, simpleSamlPhpIdp, type RunningSimpleSamlPhp } from '../../src/demo/simplesamlphp/index.js';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/log.js';
import { listenStartingUp } from '../../src/http-server.js';
import { startBridge } from '../../src/main.js';
import { demoConfig } from './config.js';
import type { TestKeyPair } from './saml-keys.js';

export interface SamlInterop {
  bridgeUrl: string;
  config: BridgeConfig;
  /** The bridge's log lines (JSON). */
  logLines: string[];
  ssp: RunningSimpleSamlPhp;
  close(): Promise<void>;
}

/**
 * A listening bridge whose only IdP is a real SimpleSAMLphp with the demo users. The bridge binds
 * first: SimpleSAMLphp must know our entityID and ACS, which carry the port.
 */
export async function startSamlInterop(
  options: { sp?: TestKeyPair; encryptAssertions?: boolean; idpUrlHost?: '127.0.0.1' | 'localhost' } = {},
): Promise<SamlInterop> {
  const server = await listenStartingUp('127.0.0.1', 0);
  const bridgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let ssp: RunningSimpleSamlPhp | undefined;
  try {
    const sp = {
      ...samlSpEndpoints(bridgeUrl, 'ssp'),
      certificatePem: options.sp?.certificatePem,
      encryptAssertions: options.encryptAssertions,
    };
    ssp = await startSimpleSamlPhp({ sp, users: DEMO_USERS, urlHost: options.idpUrlHost });
    const config = await demoConfig({ publicUrl: bridgeUrl });
    config.idps = [simpleSamlPhpIdp(ssp, 'ssp', bridgeUrl, options.sp)];
    const logLines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    });
    const bridge = await startBridge({ config, server, logger: createLogger({ level: 'info', destination }) });
    const running = ssp;
    return { bridgeUrl, config, logLines, ssp: running, close: async () => void (await Promise.all([bridge.close(), running.close()])) };
  } catch (err) {
    server.close();
    await ssp?.close();
    throw err;
  }
}
