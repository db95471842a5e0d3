import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair, type JWK } from 'jose';

/**
 * A tiny OpenID provider that issues deliberately crafted ID tokens (docs/security-reference.md §3.2), to prove the
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

/** How the token endpoint answers the refresh_token grant. */
/** How the OP answers refreshes; `{status, error}`: that OAuth error for every refresh. */
export type RefreshBehaviour = 'ok' | 'invalid_grant' | 'server_error' | 'down' | { status: number; error: string };

export class FakeOp {
  readonly issuer: string;
  user: FakeOpUser = { sub: 'user-1', email: 'alice@example.com', name: 'Alice', groups: ['rambridge-dev'], amr: ['pwd'] };
  next: NextResponse = {};
  /** Authorization requests as received, for assertions on PKCE/state/nonce. */
  readonly authorizeRequests: URLSearchParams[] = [];
  /**
   * The refresh_token grant: `ok` answers with a new ID token carrying the current `user`;
   * `invalid_grant` as when the user is disabled or the grant revoked; `server_error` a 503 JSON
   * error; `down` drops the connection, as an unreachable IdP.
   */
  refreshBehaviour: RefreshBehaviour = 'ok';
  /** The OP's clock (ms): tests whose bridge clock moves make the OP's follow it. */
  now: () => number = Date.now;
  /** Claims merged over every refreshed ID token's (use `undefined` values to delete). */
  refreshClaims: Record<string, unknown> = {};
  /** Issue a new refresh token at every refresh and invalidate the presented one (Okta, Auth0). */
  rotateRefreshTokens = true;
  /** Drop every connection, as an IdP that is down (discovery included). */
  down = false;
  /** The issuer the discovery document names (a misconfigured or wrong-URL IdP); default the real one. */
  discoveryIssuer: string | undefined;
  /** Hand out the same refresh token at every sign-in of a user, as some IdPs do, instead of a new one each time. */
  oneRefreshTokenPerUser = false;
  /** Answer a wrong client secret with a `WWW-Authenticate: Basic` challenge too (RFC 6749 §5.2, oidc-provider). */
  challengeInvalidClient = false;
  /** Discovery requests received (answered or dropped), for assertions on how often the bridge asks. */
  discoveryRequests = 0;
  /** Grant types received at /token, for assertions. */
  readonly tokenGrants: string[] = [];
  /** Answer every /token request with this instead (a proxy's page, a challenge): status, headers, body. */
  tokenAnswer: { status: number; headers: Record<string, string>; body: string } | undefined;
  private readonly codes = new Map<
    string,
    {
      nonce: string | null;
      challenge: string | null;
      clientId: string | null;
      redirectUri: string | null;
      scope: string;
      next: NextResponse;
    }
  >();
  /** Live refresh tokens, each for the user it was issued to (by `sub`). */
  private readonly refreshTokens = new Map<string, string>();

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
    if (url.pathname === '/.well-known/openid-configuration') this.discoveryRequests++;
    if (this.down) return void res.socket?.destroy();
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: this.discoveryIssuer ?? this.issuer,
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
        this.codes.set(code, {
          nonce: q.get('nonce'),
          challenge: q.get('code_challenge'),
          clientId: q.get('client_id'),
          redirectUri: q.get('redirect_uri'),
          scope: q.get('scope') ?? '',
          next,
        });
        back.searchParams.set('code', code);
        back.searchParams.set('state', next.state ?? q.get('state') ?? '');
      }
      res.writeHead(302, { location: back.href });
      return void res.end();
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const body = new URLSearchParams(await readBody(req));
      const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      this.tokenGrants.push(body.get('grant_type') ?? '');
      if (this.tokenAnswer) return void res.writeHead(this.tokenAnswer.status, this.tokenAnswer.headers).end(this.tokenAnswer.body);
      if (body.get('grant_type') === 'refresh_token') return this.refresh(body, auth, res, json);
      const grant = this.codes.get(body.get('code') ?? '');
      this.codes.delete(body.get('code') ?? '');
      const verifier = body.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      // client_secret_basic form-urlencodes both parts before base64 (RFC 6749 §2.3.1).
      const [id, secret] = auth.split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
      if (id !== this.clientId || secret !== this.clientSecret) {
        if (this.challengeInvalidClient) res.setHeader('WWW-Authenticate', 'Basic realm="fake-op", error="invalid_client"');
        return json(401, { error: 'invalid_client' });
      }
      // RFC 6749 §4.1.3: the redirect_uri must be the one the authorization request named.
      if (!grant || grant.challenge !== challenge || body.get('redirect_uri') !== grant.redirectUri) {
        return json(400, { error: 'invalid_grant' });
      }
      return json(200, {
        access_token: randomBytes(16).toString('base64url'),
        token_type: 'Bearer',
        expires_in: 300,
        id_token: await this.idToken(grant.nonce, grant.next),
        ...(grant.scope.split(' ').includes('offline_access') ? { refresh_token: this.newRefreshToken() } : {}),
      });
    }
    json(404, { error: 'not_found' });
  }

  /** Refresh tokens currently valid (for tests that look at what the bridge kept). */
  liveRefreshTokens(): string[] {
    return [...this.refreshTokens.keys()];
  }

  /** Answers for `user` whatever it is now: a group change at the IdP shows at the next refresh. */
  private async refresh(
    body: URLSearchParams,
    auth: string,
    res: import('node:http').ServerResponse,
    json: (status: number, body: unknown) => void,
  ): Promise<void> {
    if (this.refreshBehaviour === 'down') return void res.socket?.destroy();
    if (this.refreshBehaviour === 'server_error') return json(503, { error: 'temporarily_unavailable' });
    if (typeof this.refreshBehaviour === 'object') return json(this.refreshBehaviour.status, { error: this.refreshBehaviour.error });
    const [id, secret] = auth.split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    if (id !== this.clientId || secret !== this.clientSecret) return json(401, { error: 'invalid_client' });
    const presented = body.get('refresh_token') ?? '';
    if (this.refreshBehaviour === 'invalid_grant' || this.refreshTokens.get(presented) !== this.user.sub)
      return json(400, { error: 'invalid_grant' });
    let refreshToken: string | undefined;
    if (this.rotateRefreshTokens) {
      this.refreshTokens.delete(presented);
      refreshToken = this.newRefreshToken();
    }
    return json(200, {
      access_token: randomBytes(16).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 300,
      // OIDC Core §12.2: no nonce on a refreshed ID token.
      id_token: await this.idToken(null, { claims: { nonce: undefined, ...this.refreshClaims } }),
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
    });
  }

  private newRefreshToken(): string {
    // One token per user, whatever the sign-in, when the test says so (some IdPs do).
    const token = this.oneRefreshTokenPerUser ? `rt-${this.user.sub}` : randomBytes(24).toString('base64url');
    this.refreshTokens.set(token, this.user.sub);
    return token;
  }

  private async idToken(nonce: string | null, next: NextResponse): Promise<string> {
    const now = Math.floor(this.now() / 1000);
    // A verifying IdP unless the user says otherwise (`email_verified: false`).
    const verified = this.user.email === undefined ? {} : { email_verified: true };
    const claims: Record<string, unknown> = { ...verified, ...this.user, nonce, iat: now, exp: now + 300, auth_time: now };
    for (const [k, v] of Object.entries(next.claims ?? {})) {
      if (v === undefined) delete claims[k];
      else claims[k] = v;
    }
    const iss = 'iss' in (next.claims ?? {}) ? (claims.iss as string) : this.issuer;
    const aud = 'aud' in (next.claims ?? {}) ? claims.aud : this.clientId;
    delete claims.iss;
    delete claims.aud;
    if (next.alg === 'none')
      return new UnsecuredJWT(claims)
        .setIssuer(iss)
        .setAudience(aud as string)
        .encode();
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

/** A FakeOp started before the file's tests and closed after them; read `.op` inside a test. */
export function fakeOpForFile(): { readonly op: FakeOp } {
  const env = {} as { op: FakeOp };
  beforeAll(async () => {
    env.op = await FakeOp.start();
  });
  afterAll(async () => {
    await env.op?.close();
  });
  return env;
}

/** The test user most files sign in as: a developer and an operator, password only. */
export const ALICE_DEV_OPS = {
  sub: 'alice-sub',
  email: 'alice@example.com',
  name: 'Alice',
  groups: ['rambridge-dev', 'rambridge-ops'],
  amr: ['pwd'],
} satisfies FakeOpUser;
