// Sign-in completion, timed at the client, vs the bare verification library on the same input:
//  - SAML: POST /saml/corp/acs (every check, replay cache, mapping, session) vs node-saml's
//    validatePostResponseAsync with the bridge's own options (the bridge checks InResponseTo
//    itself, against the flow cookie, so node-saml's own check is off on both sides); and, to show
//    what the transport costs, vs the same posts to bare Koa + node-saml (bench/servers/bare-acs.mjs);
//  - OIDC: GET /oidc/demo/callback (token call to the OP process, ID token checks, session) vs
//    jose's jwtVerify of the same OP's ID token.
import { Buffer } from 'node:buffer';
import { URLSearchParams } from 'node:url';
import { SAML } from '@node-saml/node-saml';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { createHash, randomBytes } from 'node:crypto';
import { nodeSamlConfig } from '../../dist/idp/saml/node-saml.js';
import { configuredTrust, loadIdpTrust } from '../../dist/idp/saml/trust.js';
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

export async function acsRun(env, corp, n, bareHttpUrl) {
  const answered = [];
  let acsMs = 0;
  for (let i = 0; i < n; i++) {
    const { location, cookie } = await startLogin(env, 'corp');
    const requestId = requestIdOf(location);
    const xml = signedResponse({
      keyPem: env.keys.upstreamKeyPem,
      spEntityId: corp.spEntityId,
      acsUrl: corp.acsUrl,
      inResponseTo: requestId,
      user: BENCH_USER,
    });
    const SAMLResponse = Buffer.from(xml).toString('base64');
    const { ms } = await postAcs(`${env.bridgeUrl}/saml/corp/acs`, SAMLResponse, cookie);
    acsMs += ms;
    answered.push(SAMLResponse);
  }
  // The bound: node-saml alone, the bridge's options (both signatures required, as the bridge
  // requires them of these responses), the same responses.
  const trust = await loadIdpTrust(corp, configuredTrust(corp));
  const saml = new SAML(nodeSamlConfig(corp, trust, undefined, { response: true, assertion: true }));
  let bareMs = 0;
  for (const SAMLResponse of answered) {
    const { ms, value } = await timeOnce(() => saml.validatePostResponseAsync({ SAMLResponse }));
    if (!value.profile) throw new Error('node-saml returned no profile');
    bareMs += ms;
  }
  let bareHttpMs = NaN;
  if (bareHttpUrl) {
    bareHttpMs = 0;
    for (const SAMLResponse of answered) bareHttpMs += (await postAcs(`${bareHttpUrl}/saml/corp/acs`, SAMLResponse)).ms;
  }
  return { acsPerSecond: (n * 1000) / acsMs, barePerSecond: (n * 1000) / bareMs, bareHttpPerSecond: (n * 1000) / bareHttpMs };
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
