import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import type { TestIdp } from './saml-mint-for-tests.js';

/**
 * A loopback stand-in for the bridge as an issuer toward RAM: OIDC discovery, a JWKS with an RS256
 * and an ES256 key, and SAML IdP metadata at a URL. Mints ID tokens for AssumeRoleWithOIDC tests.
 */

export const CLIENT_ID = 'sts.aliyuncs.com';

export interface MintTokenOptions {
  /** Epoch ms the token is issued at (the emulator's clock). */
  now: number;
  alg?: 'RS256' | 'ES256' | 'HS256';
  /** Sign with a key the JWKS does not hold, under the RS256 key's kid. */
  forged?: boolean;
}

export interface TestIssuer {
  issuer: string;
  metadataUrl: string;
  /** Paths the emulator fetched, in order. */
  fetched: string[];
  mint(claims: JWTPayload, options: MintTokenOptions): Promise<string>;
  close(): Promise<void>;
}

export async function startTestIssuer(saml: TestIdp): Promise<TestIssuer> {
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  const forged = await generateKeyPair('RS256');
  const jwks = {
    keys: [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ],
  };
  const fetched: string[] = [];
  let issuer = '';

  const server = createServer((req, res) => {
    fetched.push(req.url ?? '');
    const send = (type: string, body: string) => res.writeHead(200, { 'content-type': type }).end(body);
    if (req.url === '/.well-known/openid-configuration') {
      send(
        'application/json',
        JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks.json`, id_token_signing_alg_values_supported: ['RS256', 'ES256'] }),
      );
    } else if (req.url === '/jwks.json') send('application/json', JSON.stringify(jwks));
    else if (req.url === '/saml/metadata') send('application/samlmetadata+xml', saml.metadataXml);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    metadataUrl: `${issuer}/saml/metadata`,
    fetched,
    async mint(claims, { now, alg = 'RS256', forged: useForged = false }) {
      const seconds = Math.floor(now / 1000);
      const jwt = new SignJWT({ iss: issuer, aud: CLIENT_ID, sub: 'user-alice', iat: seconds, exp: seconds + 600, ...claims });
      if (alg === 'HS256') return jwt.setProtectedHeader({ alg }).sign(new TextEncoder().encode('a-shared-secret-that-sts-must-refuse'));
      if (alg === 'ES256') return jwt.setProtectedHeader({ alg, kid: 'ec-1' }).sign(ec.privateKey);
      return jwt.setProtectedHeader({ alg, kid: 'rsa-1' }).sign(useForged ? forged.privateKey : rsa.privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
