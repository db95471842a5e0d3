import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The id of the request being served, for records written far from the HTTP layer (the audit
 * record of an issuance, an STS call): one id then ties the web access log, the CLI's request
 * (it prints the `X-Request-Id` it got back) and the STS RequestId together.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

export function withRequestId<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

/** The current request's id, or undefined outside a request. */
export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
