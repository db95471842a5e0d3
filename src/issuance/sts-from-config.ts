import type { AlibabaSettings } from '../config/index.js';
import { createStsClient, type StsClient, type StsClientOptions } from '../sts/index.js';

/**
 * The STS client the configuration describes. `alibaba.stsEndpoint` is a host (`sts.cn-hangzhou.aliyuncs.com`,
 * `sts-vpc.…`) or, for the emulator, a URL whose scheme picks the protocol.
 */
export function stsClientFromConfig(alibaba: AlibabaSettings, extra: Partial<StsClientOptions> = {}): StsClient {
  const url = alibaba.stsEndpoint.includes('://') ? new URL(alibaba.stsEndpoint) : undefined;
  return createStsClient({
    endpoint: url ? url.host : alibaba.stsEndpoint,
    protocol: url ? (url.protocol === 'http:' ? 'http' : 'https') : 'https',
    connectTimeoutMs: alibaba.stsConnectTimeoutMs,
    readTimeoutMs: alibaba.stsReadTimeoutMs,
    retry: { maxAttempts: alibaba.stsMaxAttempts },
    ...extra,
  });
}
