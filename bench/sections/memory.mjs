// The bridge's resident memory: idle, after the load runs, a minute later, and after 10,000
// pending sign-ins and 10,000 device grants.
import { setTimeout as sleep } from 'node:timers/promises';
import { rssMb } from '../lib/children.mjs';
import { load } from '../lib/load.mjs';

/** `samples` readings one second apart. */
export async function rssSamples(pid, samples) {
  const out = [];
  for (let i = 0; i < samples; i++) {
    if (i) await sleep(1000);
    out.push(rssMb(pid));
  }
  return out;
}

/** 10,000 sign-ins started and never finished (SAML: no network to the IdP), 10,000 device grants. */
export async function pendingLoad(env, count) {
  const logins = await load(`${env.bridgeUrl}/login?idp=corp`, { amount: count, connections: 16 });
  const grants = await load(`${env.bridgeUrl}/oauth/device_authorization`, {
    amount: count,
    connections: 16,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'client_id=rambridge-cli&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256',
  });
  return { logins, grants };
}
