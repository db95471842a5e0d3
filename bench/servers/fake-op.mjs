// The upstream OpenID provider of the OIDC benchmarks, in a process of its own so the ID tokens it
// signs are not counted as the bridge's work. Its authorization codes are self-contained (the
// nonce and PKCE challenge, base64url JSON), so the benchmark can make one without a browser.
import { Buffer } from 'node:buffer';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { URLSearchParams } from 'node:url';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

const clientId = 'rambridge';
const clientSecret = randomBytes(24).toString('base64url');
const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
const user = JSON.parse(process.env.BENCH_USER);

const server = createServer((req, res) => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const url = new URL(req.url, issuer);
  const json = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/.well-known/openid-configuration') {
    return json(200, {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic'],
    });
  }
  if (url.pathname === '/jwks') return json(200, { keys: [publicJwk] });
  if (url.pathname === '/token' && req.method === 'POST') {
    let data = '';
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => {
      void (async () => {
        const body = new URLSearchParams(data);
        const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
        const [id, secret] = auth.split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
        if (id !== clientId || secret !== clientSecret) return json(401, { error: 'invalid_client' });
        let code;
        try {
          code = JSON.parse(Buffer.from(body.get('code') ?? '', 'base64url').toString());
        } catch {
          return json(400, { error: 'invalid_grant' });
        }
        const challenge = createHash('sha256')
          .update(body.get('code_verifier') ?? '')
          .digest('base64url');
        if (challenge !== code.challenge) return json(400, { error: 'invalid_grant' });
        const now = Math.floor(Date.now() / 1000);
        const idToken = await new SignJWT({ ...user, email_verified: true, nonce: code.nonce, auth_time: now, amr: ['pwd'] })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(issuer)
          .setAudience(clientId)
          .setSubject(user.sub)
          .setIssuedAt(now)
          .setExpirationTime(now + 300)
          .sign(privateKey);
        json(200, { access_token: randomBytes(16).toString('base64url'), token_type: 'Bearer', expires_in: 300, id_token: idToken });
      })();
    });
    return;
  }
  json(404, { error: 'not_found' });
});
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  process.stdout.write(`${JSON.stringify({ ready: true, issuer, clientId, clientSecret, publicJwk })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
