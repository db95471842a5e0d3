import type { DeviceFlow } from '../device/index.js';
import type { Store } from '../store/index.js';
import type { StsClient } from '../sts/index.js';
import { timed, type Metrics } from './metrics.js';

/**
 * Decorators that feed Metrics from the outside, so the store, STS client and device flow stay
 * free of monitoring code. Labels are operation names and error codes only.
 */

/** Store latency and errors by operation. */
export function meteredStore(store: Store, metrics: Metrics): Store {
  const op =
    <A extends unknown[], R>(name: string, fn: (...args: A) => Promise<R>) =>
    (...args: A) =>
      timed(
        () => fn(...args),
        (result, s) => metrics.observeStore(name, result, s),
      );
  return {
    upsert: op('upsert', (k: string, v: unknown, ttl: number) => store.upsert(k, v, ttl)),
    insert: op('insert', (k: string, v: unknown, ttl: number) => store.insert(k, v, ttl)),
    find: <T>(k: string) => op('find', (key: string) => store.find<T>(key))(k),
    update: <T>(k: string, updater: (current: T) => T, ttl?: number) => op('update', () => store.update<T>(k, updater, ttl))(),
    consume: <T>(k: string) => op('consume', (key: string) => store.consume<T>(key))(k),
    destroy: op('destroy', (k: string) => store.destroy(k)),
    ping: op('ping', () => store.ping()),
    close: () => store.close(),
  };
}

/** STS latency and errors by action. */
export function meteredSts(sts: StsClient, metrics: Metrics): StsClient {
  const call = <R>(action: string, fn: () => Promise<R>) => timed(fn, (result, s) => metrics.observeSts(action, result, s));
  return {
    assumeRoleWithSaml: (input) => call('AssumeRoleWithSAML', () => sts.assumeRoleWithSaml(input)),
    assumeRoleWithOidc: (input) => call('AssumeRoleWithOIDC', () => sts.assumeRoleWithOidc(input)),
    assumeRole: (input) => call('AssumeRole', () => sts.assumeRole(input)),
    getCallerIdentity: (caller) => call('GetCallerIdentity', () => sts.getCallerIdentity(caller)),
  };
}

/** Device-flow states: started, approved/denied, and each token poll's outcome (issued or its code). */
export function meteredDeviceFlow(device: DeviceFlow, metrics: Metrics): DeviceFlow {
  const { grants } = device;
  const start = grants.start.bind(grants);
  const decide = grants.decide.bind(grants);
  const redeem = grants.redeem.bind(grants);
  grants.start = async (...args) => {
    const started = await start(...args);
    metrics.observeDeviceFlow('started');
    return started;
  };
  grants.decide = async (userCode, decision) => {
    const outcome = await decide(userCode, decision);
    if (outcome.ok) metrics.observeDeviceFlow(decision.approve ? 'approved' : 'denied');
    return outcome;
  };
  grants.redeem = (input) =>
    timed(
      () => redeem(input),
      (result) => metrics.observeDeviceFlow(result === 'ok' ? 'issued' : result),
    );
  return device;
}
