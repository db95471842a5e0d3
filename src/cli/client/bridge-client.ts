import type { Clock } from '../../clock.js';
import { CliError, notLoggedIn } from './errors.js';
import { isInvalidToken, requestJson, serverDate, serverError, type FetchLike, type JsonResponse } from './http.js';
import { refreshTokens } from './oauth.js';
import type { SessionStore, StoredSession } from './sessions.js';
import { t } from '../i18n/index.js';

export interface BridgeClientDeps {
  fetch: FetchLike;
  sessions: SessionStore;
  clock: Clock;
}

/** An answer, and when the server says it sent it (`http.ts` `serverDate`). */
export interface Dated<T> {
  body: T;
  serverDate: number | undefined;
}

/** Refresh an access token this long before it expires, so a request never leaves with a dying one. */
const ACCESS_TOKEN_MARGIN_MS = 60_000;

/**
 * Calls the server's `/api/*` with the stored access token, refreshing it silently with the refresh
 * token (before expiry, and once more if the server says the token is invalid — RFC 6750
 * `invalid_token`, not any 401). Users log in once per session lifetime, not once per access token.
 */
export class BridgeClient {
  constructor(
    readonly server: string,
    private readonly deps: BridgeClientDeps,
  ) {}

  async session(): Promise<StoredSession> {
    const session = await this.deps.sessions.get(this.server);
    if (!session) throw notLoggedIn(this.server);
    return session;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  /** `get`, with the time the server says it answered (its `Date` header), if it says a valid one. */
  getDated<T>(path: string): Promise<Dated<T>> {
    return this.dated<T>('GET', path);
  }

  /** `post`, with the time the server says it answered (its `Date` header), if it says a valid one. */
  postDated<T>(path: string, body: unknown): Promise<Dated<T>> {
    return this.dated<T>('POST', path, body);
  }

  private async dated<T>(method: string, path: string, body?: unknown): Promise<Dated<T>> {
    const response = await this.exchange(method, path, body);
    return { body: response.body as T, serverDate: serverDate(response) };
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.exchange(method, path, body)).body as T;
  }

  private async exchange(method: string, path: string, body?: unknown): Promise<JsonResponse> {
    const session = await this.session();
    let token =
      session.accessTokenExpiresAt - this.deps.clock.now() > ACCESS_TOKEN_MARGIN_MS
        ? session.accessToken
        : await this.refresh(session.accessToken);
    let response = await this.send(method, path, token, body);
    if (isInvalidToken(response)) {
      // Revoked or rotated server-side keys: one refresh, then give up and ask for a login. Any
      // other 401 is about the request, not the token, and is reported as it is.
      token = await this.refresh(token);
      response = await this.send(method, path, token, body);
    }
    if (response.status >= 200 && response.status < 300) return response;
    throw serverError(response);
  }

  private send(method: string, path: string, token: string, body: unknown): Promise<JsonResponse> {
    return requestJson(this.deps.fetch, `${this.server}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Returns a fresh access token. Under the lock, and re-reading the store first: another process
   * may have refreshed while we waited, and spending the old refresh token again would end the session. */
  private refresh(staleAccessToken: string): Promise<string> {
    return this.deps.sessions.exclusively(async () => {
      const current = await this.session();
      if (current.accessToken !== staleAccessToken && current.accessTokenExpiresAt - this.deps.clock.now() > ACCESS_TOKEN_MARGIN_MS) {
        return current.accessToken;
      }
      // The server replaces the refresh token as it answers: a full disk or a read-only directory
      // must stop us before that, not leave the new one unsaved and the session lost.
      await this.deps.sessions.assertWritable();
      try {
        const tokens = await refreshTokens(this.deps.fetch, current.tokenEndpoint, current.refreshToken);
        // Only over the session it was refreshed from: a login or logout that did not wait for
        // the lock (an older rambridge, a lock taken over as stale) wins.
        await this.deps.sessions.replace(this.server, current.refreshToken, {
          ...current,
          accessToken: tokens.access_token,
          accessTokenExpiresAt: this.deps.clock.now() + tokens.expires_in * 1000,
          refreshToken: tokens.refresh_token,
        });
        return tokens.access_token;
      } catch (err) {
        if (err instanceof CliError && err.code === 'ERR_CLI_SESSION_ENDED') {
          await this.deps.sessions.remove(this.server);
          throw new CliError('ERR_CLI_SESSION_ENDED', t('sessionEnded'), { hint: t('runLogin', { server: this.server }) });
        }
        throw err;
      }
    });
  }
}
