import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * A tiny OpenID provider that issues deliberately crafted ID tokens (security.md §3.2), to prove the
 * bridge's relying party refuses each of them. The happy path of real IdPs is covered by the
 * oidc-provider based dev IdP; this one exists for the tokens a real IdP would never send.
 */
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface FakeOpUser {
  sub: string;
  email?: string;
  name?: string;
  groups?: string[];
  amr?: string[];
  [claim: string]: unknown;
}

export interface NextResponse {
  /** Claims merged over the normal ones (use `undefined` values to delete). */
  claims?: Record<string, unknown>;
  /** `none` produces an unsecured token; `HS256` signs with the public key PEM bytes as the secret. */
  alg?: 'RS256' | 'none' | 'HS256';
  /** Sign with a key not in the JWKS. */
  foreignKey?: boolean;
  /** Answer the authorization request with this OAuth error instead of a code. */
  authorizeError?: string;
  /** Return this state instead of the one received. */
  state?: string;
}

export class FakeOp {
  readonly issuer: string;
  user: FakeOpUser = { sub: 'user-1', email: 'alice@example.com', name: 'Alice', groups: ['rambridge-dev'], amr: ['pwd'] };
  next: NextResponse = {};
  /** Authorization requests as received, for assertions on PKCE/state/nonce. */
  readonly authorizeRequests: URLSearchParams[] = [];
  private readonly codes = new Map<string, { nonce: string | null; challenge: string | null; clientId: string | null; next: NextResponse }>();

  private constructor(
    private readonly server: Server,
    private readonly keys: { privateKey: PrivateKey; publicJwk: JWK; foreign: PrivateKey },
    readonly clientId: string,
    readonly clientSecret: string,
  ) {
    this.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(clientId = 'rambridge', clientSecret = 'fake-op-secret'): Promise<FakeOp> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const foreign = (await generateKeyPair('RS256')).privateKey;
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    const holder: { op?: FakeOp } = {};
    const server = createServer((req, res) => void holder.op!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.op = new FakeOp(server, { privateKey, publicJwk, foreign }, clientId, clientSecret);
    return holder.op;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(req.url!, this.issuer);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [this.keys.publicJwk] });
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      this.authorizeRequests.push(q);
      const next = this.next;
      this.next = {};
      const back = new URL(q.get('redirect_uri')!);
      if (next.authorizeError) {
        back.searchParams.set('error', next.authorizeError);
        back.searchParams.set('state', q.get('state') ?? '');
      } else {
        const code = randomBytes(16).toString('base64url');
        this.codes.set(code, { nonce: q.get('nonce'), challenge: q.get('code_challenge'), clientId: q.get('client_id'), next });
        back.searchParams.set('code', code);
        back.searchParams.set('state', next.state ?? q.get('state') ?? '');
      }
      res.writeHead(302, { location: back.href });
      return void res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const body = new URLSearchParams(await readBody(req));
      const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      const grant = this.codes.get(body.get('code') ?? '');
      this.codes.delete(body.get('code') ?? '');
      const verifier = body.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      // client_secret_basic form-urlencodes both parts before base64 (RFC 6749 §2.3.1).
      const [id, secret] = auth.split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
      if (id !== this.clientId || secret !== this.clientSecret) return json(401, { error: 'invalid_client' });
      if (!grant || grant.challenge !== challenge) return json(400, { error: 'invalid_grant' });
      return json(200, {
        access_token: randomBytes(16).toString('base64url'),
        token_type: 'Bearer',
        expires_in: 300,
        id_token: await this.idToken(grant.nonce, grant.next),
      });
    }
    json(404, { error: 'not_found' });
  }

  private async idToken(nonce: string | null, next: NextResponse): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = { ...this.user, nonce, iat: now, exp: now + 300, auth_time: now };
    for (const [k, v] of Object.entries(next.claims ?? {})) {
      if (v === undefined) delete claims[k];
      else claims[k] = v;
    }
    const iss = 'iss' in (next.claims ?? {}) ? (claims.iss as string) : this.issuer;
    const aud = 'aud' in (next.claims ?? {}) ? claims.aud : this.clientId;
    delete claims.iss;
    delete claims.aud;
    if (next.alg === 'none') return new UnsecuredJWT(claims).setIssuer(iss).setAudience(aud as string).encode();
    const jwt = new SignJWT(claims).setIssuer(iss);
    if (aud !== undefined) jwt.setAudience(aud as string | string[]);
    if (next.alg === 'HS256') {
      return jwt.setProtectedHeader({ alg: 'HS256', kid: 'k1' }).sign(new TextEncoder().encode(JSON.stringify(this.keys.publicJwk)));
    }
    return jwt.setProtectedHeader({ alg: 'RS256', kid: 'k1' }).sign(next.foreignKey ? this.keys.foreign : this.keys.privateKey);
  }
}

function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString()));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
