import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Profile, SamlConfig } from '@node-saml/node-saml';
import { DEFAULTS } from '../../config/defaults.js';
import { BridgeError } from '../../errors.js';
import { samlRefusal } from './refusal.js';

/**
 * node-saml's validation of one answer is several milliseconds of synchronous XML work (parse,
 * canonicalisation, digests, xml2js) for every sign-in. On the event loop it would stall every
 * other request for that long, and a 9 am sign-in wave would use one CPU of the machine. Here it
 * runs on worker threads instead: at most `threads` (one per CPU by default), started by the first
 * SAML answer and stopped after `idleMs` without one, so an instance whose users sign in with OIDC,
 * or not at the moment, holds none.
 *
 * A worker validates one answer at a time, with the same node-saml and the same options as the
 * main thread would; what comes back is the profile node-saml read from the signed assertion and
 * that assertion's XML, which the connector parses and checks itself (assertion-checks.ts). An
 * answer that takes longer than `timeoutMs`, or a worker that runs out of its memory limit, costs
 * that worker (terminated, replaced on demand) and is refused: a pathological document cannot
 * stall the bridge.
 */
export interface ValidationPoolOptions {
  threads: number;
  idleMs: number;
  timeoutMs: number;
  /** Answers waiting for a thread beyond this many are answered 503 at once rather than queued. */
  maxQueued: number;
  /** Each worker's V8 heap limit: several times what the largest accepted answer (256 KiB) needs. */
  maxHeapMb: number;
  /** Each worker's young generation, where a validation's short-lived DOM lives. */
  maxYoungHeapMb: number;
}

interface Job {
  config: SamlConfig;
  base64: string;
  resolve(profile: Profile | null): void;
  reject(err: unknown): void;
}

/** What a worker posts back: node-saml's profile without its methods, or its error's message and code. */
type Outcome =
  { ok: true; profile: (Record<string, unknown> & { assertionXml?: string }) | null } | { ok: false; message: string; code?: string };

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

export class SamlValidationPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Job[] = [];
  private readonly nodeSamlPath = createRequire(import.meta.url).resolve('@node-saml/node-saml');
  private closed = false;

  constructor(private readonly options: ValidationPoolOptions) {}

  /** node-saml's `validatePostResponseAsync` with these options, on a worker thread. */
  validate(config: SamlConfig, base64: string): Promise<Profile | null> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(unavailable('bridge stopping'));
      if (this.queue.length >= this.options.maxQueued) return reject(unavailable('SAML validation queue full'));
      this.queue.push({ config, base64, resolve, reject });
      this.dispatch();
    });
  }

  /** Worker threads running now (for tests and the report). */
  get size(): number {
    return this.slots.size;
  }

  /** Stops every worker; answers queued or being validated, and any asked for later, are refused. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = unavailable('bridge stopping');
    for (const job of this.queue.splice(0)) job.reject(stopping);
    const running = [...this.slots];
    for (const slot of running) this.remove(slot, stopping);
    await Promise.all(running.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const slot = [...this.slots].find((s) => s.job === undefined) ?? this.spawn();
      if (!slot) return; // every thread busy: the next one to finish takes the next job
      this.run(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot | undefined {
    if (this.slots.size >= this.options.threads) return undefined;
    let worker: Worker;
    try {
      worker = new Worker(`(${workerMain.toString()})()`, {
        eval: true,
        workerData: { nodeSamlPath: this.nodeSamlPath },
        resourceLimits: { maxOldGenerationSizeMb: this.options.maxHeapMb, maxYoungGenerationSizeMb: this.options.maxYoungHeapMb },
      });
    } catch (err) {
      // No thread can start: every waiting answer is refused now rather than left waiting.
      for (const job of this.queue.splice(0)) job.reject(workerFailed(err));
      return undefined;
    }
    const slot: Slot = { worker };
    worker.on('message', (outcome: Outcome) => this.settle(slot, outcome));
    worker.on('error', (err) => this.fail(slot, err));
    worker.on('exit', () => this.fail(slot, new Error('validation worker exited')));
    this.slots.add(slot);
    return slot;
  }

  private run(slot: Slot, job: Job): void {
    clearTimeout(slot.timer);
    slot.job = job;
    // A worker keeps the process alive only while it has work: an idle one never delays an exit.
    slot.worker.ref();
    slot.timer = setTimeout(() => {
      this.fail(slot, samlRefusal('ERR_SAML_INVALID', { reason: `validation took longer than ${this.options.timeoutMs} ms` }));
      void slot.worker.terminate();
    }, this.options.timeoutMs).unref();
    try {
      slot.worker.postMessage({ config: job.config, base64: job.base64 });
    } catch (err) {
      // Options that cannot be posted (a function, say): this answer is refused, the worker is fine.
      slot.job = undefined;
      job.reject(workerFailed(err));
      this.next(slot);
    }
  }

  private settle(slot: Slot, outcome: Outcome): void {
    // An answer from a worker already given up on (timed out, closed) arrives after its job was
    // refused: it must not take, or strand, the next job.
    if (!this.slots.has(slot)) return;
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      if (outcome.ok) job.resolve(outcome.profile && withAssertionXml(outcome.profile));
      else job.reject(Object.assign(new Error(outcome.message), outcome.code !== undefined && { code: outcome.code }));
    }
    this.next(slot);
  }

  /** After a job: the next queued one, or a quiet period after which the worker is stopped. */
  private next(slot: Slot): void {
    clearTimeout(slot.timer);
    const job = this.queue.shift();
    if (job) {
      this.run(slot, job);
      return;
    }
    slot.worker.unref();
    slot.timer = setTimeout(() => {
      if (this.remove(slot, unavailable('worker stopped'))) void slot.worker.terminate();
    }, this.options.idleMs).unref();
  }

  /** A worker that errored, exited or timed out: its job is refused and a new worker may take the queue. */
  private fail(slot: Slot, err: unknown): void {
    if (this.remove(slot, err instanceof BridgeError ? err : workerFailed(err))) this.dispatch();
  }

  /** Takes a worker out of the pool, refusing its job with `reason`; false when it was out already. */
  private remove(slot: Slot, reason: BridgeError): boolean {
    if (!this.slots.delete(slot)) return false;
    clearTimeout(slot.timer);
    slot.job?.reject(reason);
    slot.job = undefined;
    return true;
  }
}

let shared: SamlValidationPool | undefined;

/** The process's pool, shared by every SAML connector: connectors are rebuilt on a config reload, the threads stay. */
export function samlValidationPool(): SamlValidationPool {
  const { maxThreads, ...options } = DEFAULTS.samlValidation;
  return (shared ??= new SamlValidationPool({ threads: Math.min(availableParallelism(), maxThreads), ...options }));
}

const unavailable = (reason: string) => new BridgeError('ERR_UNAVAILABLE', { detail: { reason } });
const workerFailed = (err: unknown) => samlRefusal('ERR_SAML_INVALID', { reason: 'validation worker failed', error: String(err) });

function withAssertionXml({ assertionXml, ...fields }: Record<string, unknown> & { assertionXml?: string }): Profile {
  const profile = fields as Profile;
  return assertionXml === undefined ? profile : { ...profile, getAssertionXml: () => assertionXml };
}

/**
 * The worker's whole program, run from its source text: a worker needs a file or a string, and a
 * string lets the same code run from dist/ and from the TypeScript sources the tests load. It may
 * use nothing from this module's scope; it reaches Node's modules through `process`, which works
 * whether Node runs the string as CommonJS or (under `--input-type=module`) as ESM. Coverage
 * tools must leave it alone: their counters would be undefined names in the worker.
 */
/* istanbul ignore next */
function workerMain(): void {
  const threads = process.getBuiltinModule('node:worker_threads');
  const parentPort = threads.parentPort!;
  const { nodeSamlPath } = threads.workerData as { nodeSamlPath: string };
  const { SAML } = process.getBuiltinModule('node:module').createRequire(nodeSamlPath)(
    nodeSamlPath,
  ) as typeof import('@node-saml/node-saml');
  parentPort.on('message', ({ config, base64 }: { config: SamlConfig; base64: string }) => {
    // Even node-saml's constructor throwing is an answer refused, not a worker lost.
    Promise.resolve()
      .then(() => new SAML(config).validatePostResponseAsync({ SAMLResponse: base64 }))
      .then(
        ({ profile }) => {
          const assertionXml = profile?.getAssertionXml?.();
          // The methods stay behind (they cannot be posted); the assertion's XML goes as a string.
          const fields = profile && Object.fromEntries(Object.entries(profile).filter(([, v]) => typeof v !== 'function'));
          parentPort.postMessage({ ok: true, profile: fields && { ...fields, assertionXml } });
        },
        (err: unknown) => {
          const { message, code } = err instanceof Error ? (err as Error & { code?: unknown }) : { message: String(err), code: undefined };
          parentPort.postMessage({ ok: false, message, ...(typeof code === 'string' && { code }) });
        },
      )
      // A profile that cannot be posted is a refusal too, not a worker lost.
      .catch((err: unknown) => parentPort.postMessage({ ok: false, message: String(err) }));
  });
}
