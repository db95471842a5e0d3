import { spawnSync } from 'node:child_process';
import { SAML } from '@node-saml/node-saml';
import { BridgeError } from '../../../src/errors.js';
import { classifyNodeSamlError, nodeSamlConfig } from '../../../src/idp/saml/node-saml.js';
import { configuredTrust, loadIdpTrust, type IdpTrust } from '../../../src/idp/saml/trust.js';
import { SamlValidationPool, type ValidationPoolOptions } from '../../../src/idp/saml/validation-pool.js';
import { answer, samlBridge, type SamlBridge } from '../../helpers/saml-bridge.js';
import { base64, signBoth } from '../../helpers/saml-response.js';

/** node-saml's validation on worker threads (src/idp/saml/validation-pool.ts), against node-saml on this thread. */
describe('SAML validation pool', () => {
  let bridge: SamlBridge;
  let trust: IdpTrust;
  const pools: SamlValidationPool[] = [];
  const pool = (options: Partial<ValidationPoolOptions> = {}) => {
    const made = new SamlValidationPool({
      threads: 2,
      idleMs: 60_000,
      timeoutMs: 10_000,
      maxQueued: 16,
      maxHeapMb: 64,
      maxYoungHeapMb: 8,
      ...options,
    });
    pools.push(made);
    return made;
  };
  const config = () => nodeSamlConfig(bridge.idp, trust, undefined);
  const response = () => base64(signBoth(answer(bridge, `_${Math.random().toString(16).slice(2)}`), bridge.idpKeys));

  beforeAll(async () => {
    bridge = await samlBridge();
    trust = await loadIdpTrust(bridge.idp, configuredTrust(bridge.idp));
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.close()));
  });

  test('gives the profile node-saml gives on this thread, with the signed assertion as XML', async () => {
    const SAMLResponse = response();
    const here = (await new SAML(config()).validatePostResponseAsync({ SAMLResponse })).profile!;
    const there = (await pool().validate(config(), SAMLResponse))!;
    const fields = (p: object) => Object.fromEntries(Object.entries(p).filter(([, v]) => typeof v !== 'function'));
    expect(fields(there)).toEqual(fields(here));
    expect(there.getAssertionXml!()).toBe(here.getAssertionXml!());
    expect(there.nameID).toBe('alice@example.com');
  });

  test("node-saml's refusal comes back with its message, and is classified as on this thread", async () => {
    const tampered = Buffer.from(response(), 'base64').toString().replace('rambridge-dev', 'rambridge-ops');
    const refusal = await pool()
      .validate(config(), base64(tampered))
      .then(() => undefined, classifyNodeSamlError);
    expect(refusal?.code).toBe('ERR_SAML_SIGNATURE_INVALID');
    expect(refusal?.detail).toMatchObject({ library: 'node-saml', error: expect.stringMatching(/signature/i) as unknown });
  });

  test("options node-saml's constructor refuses: the answer is refused with its message, the worker kept", async () => {
    const one = pool({ threads: 1 });
    await one.validate(config(), response());
    const message = await one.validate({ ...config(), idpCert: '' }, response()).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(message).toMatch(/idpCert/);
    expect(one.size).toBe(1);
  });

  test('at most `threads` workers, however many answers wait; each one is validated', async () => {
    const two = pool({ threads: 2 });
    let most = 0;
    const answers = Array.from({ length: 8 }, () =>
      two.validate(config(), response()).finally(() => {
        most = Math.max(most, two.size);
      }),
    );
    const profiles = await Promise.all(answers);
    expect(profiles.every((p) => p?.nameID === 'alice@example.com')).toBe(true);
    expect(most).toBe(2);
  });

  test('answers beyond the queue bound are refused at once with ERR_UNAVAILABLE (503), the others validated', async () => {
    const small = pool({ threads: 1, maxQueued: 2 });
    const outcomes = await Promise.allSettled(Array.from({ length: 5 }, () => small.validate(config(), response())));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as BridgeError] : []));
    // The first is dispatched at once; two wait; two more find the queue full.
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(refused.map((e) => [e.code, e.status])).toEqual([
      ['ERR_UNAVAILABLE', 503],
      ['ERR_UNAVAILABLE', 503],
    ]);
  });

  test('an answer still validating after `timeoutMs` is refused and its worker ended', async () => {
    // A new worker loads node-saml first: far longer than 1 ms.
    const hasty = pool({ threads: 1, timeoutMs: 1 });
    const refusal = await hasty.validate(config(), response()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refusal).toBeInstanceOf(BridgeError);
    expect(refusal).toMatchObject({ code: 'ERR_SAML_INVALID', detail: { reason: 'validation took longer than 1 ms' } });
    expect(hasty.size).toBe(0);
  });

  test('an answer a worker posts after its timeout fired neither takes nor strands the next answers', async () => {
    // The main thread stalls (in the check phase, so timers run next, before messages are read)
    // past the first answer's timeout while the worker answers it: the timeout refuses it, then
    // its late answer arrives. Once, that answer took the third job to the ended worker, where it
    // waited forever. Which comes first is the event loop's choice: tried until the race happens.
    const stall = () =>
      new Promise((resolve) =>
        setImmediate(() => {
          const until = Date.now() + 1000;
          while (Date.now() < until);
          resolve(undefined);
        }),
      );
    let raced = false;
    for (let attempt = 0; attempt < 6 && !raced; attempt++) {
      const busy = pool({ threads: 1, timeoutMs: 300 });
      for (let i = 0; i < 2; i++) await busy.validate(config(), response()).catch(() => undefined); // warm
      const answers = [busy.validate(config(), response()), busy.validate(config(), response()), busy.validate(config(), response())];
      await stall();
      const settled = await Promise.race([
        Promise.allSettled(answers),
        new Promise<'stranded'>((resolve) => setTimeout(() => resolve('stranded'), 10_000)),
      ]);
      expect(settled).not.toBe('stranded');
      raced = (settled as PromiseSettledResult<unknown>[])[0]!.status === 'rejected';
    }
    expect(raced).toBe(true);
  });

  test('close() refuses the answers being validated and any asked for later (once, they never settled)', async () => {
    const closing = pool({ threads: 1 });
    const refused = expect(closing.validate(config(), response())).rejects.toMatchObject({
      code: 'ERR_UNAVAILABLE',
      detail: { reason: 'bridge stopping' },
    });
    await closing.close();
    await refused;
    await expect(closing.validate(config(), response())).rejects.toMatchObject({ code: 'ERR_UNAVAILABLE' });
    expect(closing.size).toBe(0);
  });

  test('a worker that runs out of its heap limit refuses its answer; the process carries on', async () => {
    // 1 MB is too little even to load node-saml: the worker dies of it, not this process.
    const starved = pool({ threads: 1, maxHeapMb: 1, maxYoungHeapMb: 1 });
    const refusal = await starved.validate(config(), response()).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(refusal).toMatchObject({ code: 'ERR_SAML_INVALID', detail: { reason: 'validation worker failed' } });
    expect(String((refusal as BridgeError).detail?.error)).toMatch(/ERR_WORKER_OUT_OF_MEMORY|out of memory/i);
    expect(starved.size).toBe(0);
    expect((await pool({ threads: 1 }).validate(config(), response()))?.nameID).toBe('alice@example.com');
  });

  test('workers stop after `idleMs` without an answer, and start again for the next one', async () => {
    const quick = pool({ threads: 1, idleMs: 50 });
    await quick.validate(config(), response());
    expect(quick.size).toBe(1);
    while (quick.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await quick.validate(config(), response()))?.nameID).toBe('alice@example.com');
  });

  test('an idle worker does not keep the process alive', () => {
    // A process that validates one answer and has nothing else to do exits at once, long before
    // the workers' idle period (it once waited for them). Run as ESM from a string, which the
    // worker's own string then is too.
    const script = `
      const { SamlValidationPool } = await import(${JSON.stringify(new URL('../../../dist/idp/saml/validation-pool.js', import.meta.url).href)});
      const pool = new SamlValidationPool({ threads: 1, idleMs: 600000, timeoutMs: 10000, maxQueued: 1, maxHeapMb: 64, maxYoungHeapMb: 8 });
      const refusal = await pool.validate({ idpCert: 'x', issuer: 'a', callbackUrl: 'http://x', audience: 'a' }, 'PGEvPg==').catch((e) => e.message);
      console.log(String(refusal));
    `;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/idpCert/);
  });
});
