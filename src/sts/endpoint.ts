import { isStsEndpointHost } from '../config/urls.js';
import { isLoopbackHost } from '../loopback.js';

/**
 * Where the STS client sends requests (docs/alibaba-cloud-reference.md §1 "Endpoints"): the global `sts.aliyuncs.com`,
 * a regional `sts.<region>.aliyuncs.com`, its VPC twin `sts-vpc.<region>.aliyuncs.com`, or an
 * explicit host such as the local emulator.
 */

export interface StsEndpointOptions {
  /** `host[:port]` without a scheme; wins over `regionId`. */
  endpoint?: string;
  /** e.g. `cn-hangzhou`, `ap-southeast-1`. */
  regionId?: string;
  /** Use the VPC endpoint of `regionId`. */
  vpc?: boolean;
  /** `https` unless the endpoint is a loopback address (the emulator). */
  protocol?: 'https' | 'http';
}

export interface StsEndpoint {
  endpoint: string;
  protocol: 'https' | 'http';
}

/**
 * Resolves the endpoint. Misconfiguration is a programming error (TypeError): a URL given where a
 * host belongs, a VPC endpoint without a region, or plain http to anything but this machine —
 * the SAML assertions, tokens and signed requests STS receives must never cross a network in clear.
 */
export function resolveStsEndpoint(options: StsEndpointOptions): StsEndpoint {
  const protocol = options.protocol ?? 'https';
  let endpoint: string;
  if (options.endpoint !== undefined) {
    if (!isStsEndpointHost(options.endpoint)) {
      throw new TypeError(`STS endpoint must be host[:port] without a scheme, got ${options.endpoint}`);
    }
    endpoint = options.endpoint;
  } else if (options.regionId !== undefined) {
    if (!/^[a-z0-9-]+$/.test(options.regionId)) throw new TypeError(`not a region id: ${options.regionId}`);
    endpoint = `${options.vpc ? 'sts-vpc' : 'sts'}.${options.regionId}.aliyuncs.com`;
  } else {
    if (options.vpc) throw new TypeError('a VPC STS endpoint needs a regionId');
    endpoint = 'sts.aliyuncs.com';
  }
  if (protocol === 'http' && !isLoopback(endpoint)) {
    throw new TypeError(`plain http is only allowed to loopback, not ${endpoint}`);
  }
  return { endpoint, protocol };
}

/** `host[:port]` (the form isStsEndpointHost allows) names this machine. */
function isLoopback(endpoint: string): boolean {
  const bracketed = /^(\[[^\]]*\])(:\d+)?$/.exec(endpoint);
  return isLoopbackHost(bracketed ? bracketed[1]! : endpoint.replace(/:\d+$/, ''));
}
