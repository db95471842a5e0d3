// Minting vs the raw signatures it contains, with the same KeyObjects, in this process.
import { Buffer } from 'node:buffer';
import { sign } from 'node:crypto';
import { promisify } from 'node:util';
import { BridgeIssuer } from '../../dist/issuer/index.js';
import { availableParallelism } from 'node:os';
import { concurrentRate, pairedRates } from '../lib/timing.mjs';

export async function mintSetup(config) {
  const issuer = await BridgeIssuer.create(config.issuer, config.alibaba, config.server.publicUrl);
  const identity = {
    idp: 'demo',
    issuer: 'https://idp.example.com',
    subject: 'alice',
    email: 'alice@example.com',
    groups: ['rambridge-dev', 'rambridge-ops'],
    amr: ['pwd'],
  };
  const samlRole = config.roles.find((r) => r.via === 'saml');
  const oidcRole = config.roles.find((r) => r.via === 'oidc');
  // What RSA signs: a JWS signing input (~500 bytes) and an XML-DSig SignedInfo (~600 bytes).
  const jwsInput = Buffer.from('x'.repeat(520));
  const signedInfo = Buffer.from('y'.repeat(640));
  return {
    issuer,
    oidcSigns: issuer.oidcKeys.signing.alg,
    oidcKeyBits: issuer.oidcKeys.signing.privateKey.asymmetricKeyDetails?.modulusLength,
    idToken: () => issuer.idToken(identity, oidcRole, Date.now()),
    rawJws: () => sign('sha256', jwsInput, issuer.oidcKeys.signing.privateKey),
    // The same signature through the thread pool, as the issuer makes it (it signs off the event loop).
    rawJwsPool: () => signAsync('sha256', jwsInput, issuer.oidcKeys.signing.privateKey),
    samlResponse: () => issuer.samlResponse(identity, samlRole, 3600, Date.now()),
    // A SAML Response carries two signatures (Assertion, Response) unless signSamlResponse is off.
    rawSaml: () => {
      sign('sha256', signedInfo, issuer.samlKeys.signing.privateKey);
      if (config.issuer.signSamlResponse) sign('sha256', signedInfo, issuer.samlKeys.signing.privateKey);
    },
  };
}

const signAsync = promisify(sign);

export async function mintRun(m, ms) {
  const idToken = await pairedRates(m.idToken, m.rawJws, 2 * ms);
  const idTokenPool = await pairedRates(m.idToken, m.rawJwsPool, 2 * ms);
  const samlResponse = await pairedRates(m.samlResponse, m.rawSaml, 2 * ms);
  // Every CPU signing at once, through the thread pool, nothing else running: the most signatures
  // this machine makes with the key, so the ceiling of any /api/credentials row.
  const signCeiling = await concurrentRate(m.rawJwsPool, ms, 4 * availableParallelism());
  return {
    signCeiling,
    idToken: { mint: idToken.a, raw: idToken.b },
    idTokenPool: { mint: idTokenPool.a, raw: idTokenPool.b },
    samlResponse: { mint: samlResponse.a, raw: samlResponse.b },
  };
}
