import { stsEndpointSetting, type AlibabaSettings } from '../config/index.js';
import { createStsClient, type StsClientOptions } from './client.js';
import type { StsClient } from './types.js';

/** The STS client the configuration describes (`alibaba.stsEndpoint`, its timeouts and retries). */
export function stsClientFromConfig(alibaba: AlibabaSettings, extra: Partial<StsClientOptions> = {}): StsClient {
  return createStsClient({
    ...stsEndpointSetting(alibaba.stsEndpoint),
    connectTimeoutMs: alibaba.stsConnectTimeoutMs,
    readTimeoutMs: alibaba.stsReadTimeoutMs,
    retry: { maxAttempts: alibaba.stsMaxAttempts },
    ...extra,
  });
}
