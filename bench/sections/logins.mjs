// Sign-in completion, timed at the client, vs the bare verification library on the same input:
//  - SAML: a sign-in wave, WAVE answers in flight at once, posted to POST /saml/corp/acs (every
//    check, replay cache, mapping, session) vs node-saml's validatePostResponseAsync with the
//    bridge's own options on the same answers one after the other (the bridge checks InResponseTo
//    itself, against the flow cookie, so node-saml's own check is off on both sides); the same wave
//    posted to bare Koa + node-saml (bench/servers/bare-acs.mjs); each server's event-loop delay
//    during the wave; and one sign-in alone, the latency a single user sees;
//  - OIDC: GET /oidc/demo/callback (token call to the OP process, ID token checks, session) vs
//    jose's jwtVerify of the same OP's ID token.
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { SAML } from '@node-saml/node-saml';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { nodeSamlConfig } from '../../dist/idp/saml/node-saml.js';
import { configuredTrust, loadIdpTrust } from '../../dist/idp/saml/trust.js';
import { ask } from '../lib/children.mjs';
import { BENCH_USER } from '../lib/fixture.mjs';
import { timeOnce } from '../lib/timing.mjs';
import { requestIdOf, signedResponse } from '../lib/upstream-saml.mjs';

const cookiesOf = (res) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');

async function startLogin(env, idp) {
  const res = await globalThis.fetch(`${env.bridgeUrl}/login?idp=${idp}`, { redirect: 'manual' });
  if (res.status !== 302) throw new Error(`/login?idp=${idp} answered ${res.status}`);
  return { location: res.headers.get('location'), cookie: cookiesOf(res) };
}

/** One ACS post as a browser sends it, timed at the client; the answer must be a redirect. */
async function postAcs(url, SAMLResponse, cookie) {
  const timed = await timeOnce(() =>
    globalThis
      .fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          ...(cookie && { cookie }),
          'content-type': 'application/x-www-form-urlencoded',
          origin: 'https://idp.bench.example',
          'sec-fetch-site': 'cross-site',
        },
        body: new URLSearchParams({ SAMLResponse }).toString(),
      })
      .then(async (r) => (await r.arrayBuffer(), r)),
  );
  if (timed.value.status !== 302 && timed.value.status !== 303) throw new Error(`${url} answered ${timed.value.status}`);
  return timed;
}

/** Answers in flight at once in the sign-in wave: many browsers posting to the ACS at 9 am. */
export const WAVE = 8;
/** Sign-ins also timed one at a time, alone: one user's latency. */
const ALONE = 10;
/**
 * Posted untimed before each wave, to every side: the rows measure servers in their steady state,
 * as the HTTP rows do after their warm-up. Fewer are not enough: a server idle for the minute of
 * HTTP loads before it runs the first few dozen sign-ins ~25% slower, and the bridge's validation
 * threads, stopped after 30 quiet seconds (src/config/defaults.ts), start again with their
 * JavaScript not yet optimised. A real wave pays that once, over its first seconds.
 */
const WARM = 8 * WAVE;

/**
 * Event-loop delay in a server process while `during` runs (perf_hooks, 1 ms resolution): how long
 * any other request would have waited behind the sign-ins.
 */
async function loopDelayDuring(control, during) {
  await control('start');
  const value = await during();
  return { value, loop: await control('stop') };
}

async function wave(url, prepared) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WAVE }, async () => {
      while (next < prepared.length) {
        const { SAMLResponse, cookie } = prepared[next++];
        await postAcs(url, SAMLResponse, cookie);
      }
    }),
  );
  return performance.now() - started;
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

export async function acsRun(env, corp, n, bareHttpUrl) {
  // Untimed: each sign-in started with GET /login, and the IdP's signed answer to it.
  const prepared = [];
  for (let i = 0; i < WARM + n + ALONE; i++) {
    const { location, cookie } = await startLogin(env, 'corp');
    const xml = signedResponse({
      keyPem: env.keys.upstreamKeyPem,
      spEntityId: corp.spEntityId,
      acsUrl: corp.acsUrl,
      inResponseTo: requestIdOf(location),
      user: BENCH_USER,
    });
    prepared.push({ cookie, SAMLResponse: Buffer.from(xml).toString('base64') });
  }
  const warm = prepared.splice(0, WARM);
  const inWave = prepared.slice(0, n);
  const alone = prepared.slice(n);
  await wave(`${env.bridgeUrl}/saml/corp/acs`, warm);
  if (bareHttpUrl) await wave(`${bareHttpUrl}/saml/corp/acs`, warm);
  const bridgeLoop = (action) => ask(env.bridgeChild, { type: 'loopDelay', action }).then((a) => a.loop);
  const { value: acsMs, loop: acsLoop } = await loopDelayDuring(bridgeLoop, () => wave(`${env.bridgeUrl}/saml/corp/acs`, inWave));
  const aloneMs = [];
  for (const { SAMLResponse, cookie } of alone) aloneMs.push((await postAcs(`${env.bridgeUrl}/saml/corp/acs`, SAMLResponse, cookie)).ms);

  // The bound: node-saml alone, the bridge's options (both signatures required, as the bridge
  // requires them of these responses), the same responses one after the other.
  const trust = await loadIdpTrust(corp, configuredTrust(corp));
  const saml = new SAML(nodeSamlConfig(corp, trust, undefined, { response: true, assertion: true }));
  for (const { SAMLResponse } of warm) await saml.validatePostResponseAsync({ SAMLResponse });
  const bareEach = [];
  for (const { SAMLResponse } of prepared) {
    const { ms, value } = await timeOnce(() => saml.validatePostResponseAsync({ SAMLResponse }));
    if (!value.profile) throw new Error('node-saml returned no profile');
    bareEach.push(ms);
  }
  const bareMs = bareEach.slice(0, n).reduce((a, b) => a + b, 0);
  let bareHttp = { value: NaN, loop: undefined };
  if (bareHttpUrl) {
    const bareLoop = (action) => globalThis.fetch(`${bareHttpUrl}/loop-delay?action=${action}`).then((r) => r.json());
    bareHttp = await loopDelayDuring(bareLoop, () => wave(`${bareHttpUrl}/saml/corp/acs`, inWave));
  }
  return {
    acsPerSecond: (n * 1000) / acsMs,
    barePerSecond: (n * 1000) / bareMs,
    bareHttpPerSecond: (n * 1000) / bareHttp.value,
    acsLoopP99Ms: acsLoop.p99,
    bareHttpLoopP99Ms: bareHttp.loop?.p99 ?? NaN,
    aloneMs: median(aloneMs),
    bareAloneMs: median(bareEach.slice(n)),
  };
}

export async function oidcCallbackRun(env, n) {
  const tokens = [];
  let callbackMs = 0;
  for (let i = 0; i < n; i++) {
    const { location, cookie } = await startLogin(env, 'demo');
    const q = new URL(location).searchParams;
    const verifier = randomBytes(32).toString('base64url');
    const code = Buffer.from(JSON.stringify({ nonce: q.get('nonce'), challenge: q.get('code_challenge') })).toString('base64url');
    const { ms, value: res } = await timeOnce(() =>
      globalThis
        .fetch(`${env.bridgeUrl}/oidc/demo/callback?${new URLSearchParams({ code, state: q.get('state') })}`, {
          redirect: 'manual',
          headers: { cookie },
        })
        .then(async (r) => (await r.arrayBuffer(), r)),
    );
    if (res.status !== 302) throw new Error(`OIDC callback answered ${res.status}`);
    callbackMs += ms;
    // An ID token like the one the bridge just verified, from the same OP and key, for the bound.
    const token = await globalThis
      .fetch(`${env.op.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${env.op.clientId}:${env.op.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: Buffer.from(JSON.stringify({ nonce: 'n', challenge: createHash('sha256').update(verifier).digest('base64url') })).toString(
            'base64url',
          ),
          code_verifier: verifier,
        }),
      })
      .then((r) => r.json());
    tokens.push(token.id_token);
  }
  const keys = createLocalJWKSet({ keys: [env.op.publicJwk] });
  let bareMs = 0;
  for (const token of tokens) {
    const { ms } = await timeOnce(() =>
      jwtVerify(token, keys, { issuer: env.op.issuer, audience: env.op.clientId, algorithms: ['RS256'] }),
    );
    bareMs += ms;
  }
  return { callbackPerSecond: (n * 1000) / callbackMs, barePerSecond: (n * 1000) / bareMs };
}
