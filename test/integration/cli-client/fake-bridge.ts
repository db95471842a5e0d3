import { createHash, randomBytes } from 'node:crypto';
import type { RoleInfo } from '../../../src/cli/client/api.js';
import type { FetchLike } from '../../../src/cli/client/http.js';

export const SERVER = 'https://bridge.example';

/**
 * An in-memory stand-in for the bridge's OAuth and API endpoints, per the contract the CLI codes
 * against: rotating refresh tokens whose reuse ends the session, RFC 8628 polling answers scripted
 * by the test, and counters of every request. Used where the real bridge cannot easily be made
 * to misbehave (expired tokens, reuse, concurrency).
 */
export class FakeBridge {
  /** Every request, as `METHOD path`. */
  readonly calls: string[] = [];
  /** What the next polls of a device code answer before the tokens. */
  pollScript: Array<'authorization_pending' | 'slow_down' | 'access_denied'> = [];
  accessTokenTtl = 600;
  roles: RoleInfo[] = [];
  revoked: string[] = [];
  /** Set to make /api/* answer 401 to the current access tokens (e.g. the server rotated its keys). */
  rejectAccessTokens = false;
  /** Answers the next /api/* calls give instead of the real ones (after the token check). */
  apiScript: Response[] = [];

  private readonly deviceCodes = new Map<string, { challenge: string; host: string }>();
  private readonly access = new Set<string>();
  private liveRefresh: string | undefined;
  private readonly spentRefresh = new Set<string>();
  private credentialCount = 0;

  /**
   * Set to answer as a server that keeps preferences: `favourite` on every role of /api/roles,
   * POST /api/favourites, and each issuance remembered as the role's last duration.
   */
  preferences: { favourites: Set<string>; lastDurations: Map<string, number> } | undefined;

  /** Set to answer device authorizations with this page instead of the server's own /device. */
  verificationPage: string | undefined;

  /** The user code device authorizations answer with. */
  userCode = 'BCDF-GHJK';

  /** Endpoints the discovery document names instead of the server's own. */
  endpoints: Record<string, string> = {};

  /** The server's (and STS's) clock: the real time, as Node's HTTP server stamps `Date`, unless a test sets it. */
  now: () => number = () => Date.now();

  /** Set to make every request fail as a network error does (server down, VPN dropped). */
  down = false;

  /**
   * When the CLI session ends, on the server's clock (`now`). Set, the server answers as one that
   * knows `maxDurationNow` does: /api/roles says what the session can get now (a minute short of
   * what is left, 0 under 900 s), issuance cuts the duration to what is left, says so in its answer
   * (`durationSeconds`, unless `answersDuration` is false) and refuses with under 900 s left
   * (ERR_NOT_SIGNED_IN). Unset: an older server, no `maxDurationNow`, no `durationSeconds`.
   */
  sessionEndsAt: number | undefined;
  /** Set false for a server that cuts the duration but is older than the answer's `durationSeconds`. */
  answersDuration = true;
  /** Every POST /api/credentials body, as sent. */
  readonly credentialRequests: Array<{ role: string; durationSeconds: number }> = [];

  readonly fetch: FetchLike = (input, init) =>
    this.down ? Promise.reject(new TypeError('fetch failed')) : Promise.resolve(this.route(input, init));

  private route(input: string, init: RequestInit | undefined): Response {
    const url = new URL(input);
    const method = init?.method ?? 'GET';
    this.calls.push(`${method} ${url.pathname}`);
    const form = new URLSearchParams(typeof init?.body === 'string' ? init.body : '');
    const headers = new Headers(init?.headers);
    // Discovery under any path answers with this server's issuer (a mistyped --server).
    const route = url.pathname.endsWith('/.well-known/openid-configuration') ? '/.well-known/openid-configuration' : url.pathname;
    switch (`${method} ${route}`) {
      case 'GET /.well-known/openid-configuration':
        return json(200, {
          issuer: SERVER,
          device_authorization_endpoint: `${SERVER}/oauth/device_authorization`,
          token_endpoint: `${SERVER}/oauth/token`,
          revocation_endpoint: `${SERVER}/oauth/revoke`,
          ...this.endpoints,
        });
      case 'POST /oauth/device_authorization':
        return this.authorize(form);
      case 'POST /oauth/token':
        return form.get('grant_type') === 'refresh_token' ? this.refresh(form) : this.poll(form);
      case 'POST /oauth/revoke':
        this.revoked.push(form.get('token')!);
        if (form.get('token') === this.liveRefresh) this.liveRefresh = undefined;
        return new Response('', { status: 200 });
      default:
        return this.api(method, url.pathname, headers, init?.body);
    }
  }

  /** Issues tokens directly, as if a device login had just completed. */
  login(): { accessToken: string; refreshToken: string } {
    return this.issue();
  }

  private authorize(form: URLSearchParams): Response {
    if (form.get('client_id') !== 'rambridge-cli' || form.get('code_challenge_method') !== 'S256')
      return json(400, { error: 'invalid_request' });
    const deviceCode = randomBytes(16).toString('hex');
    this.deviceCodes.set(deviceCode, { challenge: form.get('code_challenge')!, host: form.get('client_host')! });
    return json(200, {
      device_code: deviceCode,
      user_code: this.userCode,
      verification_uri: this.verificationPage ?? `${SERVER}/device`,
      verification_uri_complete: `${this.verificationPage ?? `${SERVER}/device`}?user_code=${this.userCode}`,
      expires_in: 600,
      interval: 5,
    });
  }

  private poll(form: URLSearchParams): Response {
    const grant = this.deviceCodes.get(form.get('device_code') ?? '');
    if (!grant) return json(400, { error: 'invalid_grant' });
    const next = this.pollScript.shift();
    if (next) return json(400, { error: next });
    const verifier = form.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
      return json(400, { error: 'invalid_grant', error_description: 'PKCE' });
    this.deviceCodes.delete(form.get('device_code')!);
    const { accessToken, refreshToken } = this.issue();
    return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: this.accessTokenTtl, refresh_token: refreshToken });
  }

  private refresh(form: URLSearchParams): Response {
    const presented = form.get('refresh_token') ?? '';
    if (this.spentRefresh.has(presented)) {
      // Reuse of a rotated token: the whole session ends (what the real bridge does).
      this.liveRefresh = undefined;
      return json(400, { error: 'invalid_grant', error_description: 'refresh token reused' });
    }
    if (presented !== this.liveRefresh) return json(400, { error: 'invalid_grant' });
    this.spentRefresh.add(presented);
    this.rejectAccessTokens = false;
    const { accessToken, refreshToken } = this.issue();
    return json(200, { access_token: accessToken, token_type: 'Bearer', expires_in: this.accessTokenTtl, refresh_token: refreshToken });
  }

  private issue(): { accessToken: string; refreshToken: string } {
    const accessToken = `at-${randomBytes(8).toString('hex')}`;
    const refreshToken = `rt-${randomBytes(8).toString('hex')}`;
    this.access.add(accessToken);
    this.liveRefresh = refreshToken;
    return { accessToken, refreshToken };
  }

  private api(method: string, path: string, headers: Headers, body: unknown): Response {
    const token = headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    if (!this.access.has(token) || this.rejectAccessTokens) {
      return json(401, { error: 'invalid_token', code: 'ERR_TOKEN_INVALID' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    }
    const scripted = this.apiScript.shift();
    if (scripted) return scripted;
    if (path === '/api/whoami')
      return json(
        200,
        {
          idp: 'okta',
          issuer: 'https://okta.example',
          subject: 'u-1',
          email: 'alice@example.com',
          groups: ['dev'],
          sessionExpiresAt: '2030-01-01T00:00:00Z',
        },
        { date: new Date(this.now()).toUTCString() },
      );
    const prefs = this.preferences;
    const left = this.sessionEndsAt === undefined ? undefined : Math.floor((this.sessionEndsAt - this.now()) / 1000);
    const withNow = (r: RoleInfo): RoleInfo =>
      left === undefined ? r : { ...r, maxDurationNow: left - 60 < 900 ? 0 : Math.min(r.maxSessionDuration, left - 60) };
    if (path === '/api/roles')
      return json(200, {
        roles: (prefs
          ? this.roles.map((r) => ({ ...r, favourite: prefs.favourites.has(r.id), lastDuration: prefs.lastDurations.get(r.id) }))
          : this.roles
        ).map(withNow),
      });
    if (prefs && method === 'POST' && path === '/api/favourites') {
      const request = JSON.parse(String(body)) as { role: string; favourite: boolean };
      if (!this.roles.some((r) => r.id === request.role)) return json(403, { error: 'access_denied', code: 'ERR_ROLE_NOT_GRANTED' });
      if (request.favourite) prefs.favourites.add(request.role);
      else prefs.favourites.delete(request.role);
      return json(200, { role: request.role, favourite: request.favourite });
    }
    if (method === 'POST' && path === '/api/credentials') {
      const request = JSON.parse(String(body)) as { role: string; durationSeconds: number };
      this.credentialRequests.push(request);
      if (left !== undefined && left < 900)
        return json(401, {
          error: 'invalid_request',
          error_description: `Your rambridge session ends in ${Math.max(1, Math.floor(left / 60))} min: too soon for credentials.`,
          code: 'ERR_NOT_SIGNED_IN',
          hint: 'Sign out and sign in again, then retry.',
        });
      if (!this.roles.some((r) => r.id === request.role))
        return json(403, {
          error: 'access_denied',
          error_description: 'You may not use this role.',
          code: 'ERR_ROLE_NOT_GRANTED',
          request_id: 'req-9',
        });
      this.credentialCount += 1;
      prefs?.lastDurations.set(request.role, request.durationSeconds);
      const granted = Math.min(request.durationSeconds, left ?? Infinity);
      // Stamped with the server's time, as Node's HTTP server does (`Date`): the client's clock may be off.
      return json(
        200,
        {
          accessKeyId: `STS.${request.role}.${this.credentialCount}`,
          accessKeySecret: 'secret',
          securityToken: 'token',
          expiration: new Date(this.now() + granted * 1000).toISOString(),
          ...(left !== undefined && this.answersDuration ? { durationSeconds: granted } : {}),
          roleArn: `acs:ram::1:role/${request.role}`,
        },
        { date: new Date(this.now()).toUTCString() },
      );
    }
    return json(404, { error: 'not_found' });
  }

  count(call: string): number {
    return this.calls.filter((c) => c === call).length;
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}
