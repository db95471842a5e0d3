import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import { isLoopbackUrl } from '../config/urls.js';
import { BridgeError, sentence } from '../errors.js';
import type { FlowSecrets } from '../idp/connector.js';
import type { Store } from '../store/index.js';
import { SealedBox } from './sealed-box.js';

/** A sign-in in progress: which IdP, where to go afterwards, and the secrets to check the answer with. */
export interface LoginFlow {
  idp: string;
  returnTo: string;
  secrets: FlowSecrets;
  startedAt: number;
}

/** A flow as `take` returns it: with the id and expiry `spend` needs. */
export interface TakenFlow extends LoginFlow {
  id: string;
  /** Expiry (ms, on the injected clock): the cookie's Max-Age is the browser's word, this is ours. */
  exp: number;
}

interface SealedFlow {
  id: string;
  flow: LoginFlow;
  exp: number;
}

/**
 * How the flow cookie travels, decided once from `publicUrl`:
 * - `https`: one `__Host-` cookie, Secure and SameSite=None, because a SAML answer is a cross-site
 *   POST from the IdP, which Lax cookies do not accompany.
 * - `loopback-http` (http://127.0.0.1, http://localhost): Chromium and Firefox count loopback as a
 *   secure context and keep Secure cookies on it, so a SameSite=None copy works there too, with an
 *   IdP on another site (even `localhost` against `127.0.0.1`). A Lax copy is set alongside for
 *   browsers that refuse Secure cookies on plain http; it serves same-site IdPs.
 * - `http` elsewhere: Lax only (a SameSite=None cookie must be Secure); cross-site SAML IdPs cannot
 *   work, and start-up warns.
 */
type CookieMode = 'https' | 'loopback-http' | 'http';

const HTTPS_COOKIE = '__Host-rambridge-flow';
const LAX_COOKIE = 'rambridge.flow';
const CROSS_SITE_COOKIE = 'rambridge.flow-xsite';

/**
 * Binds each sign-in to the browser that started it. The flow (IdP, return path, state, nonce, PKCE
 * verifier or AuthnRequest ID) travels sealed (AES-256-GCM) in a short-lived HttpOnly cookie, so
 * starting a sign-in stores nothing on the server: no number of `GET /login` requests can fill the
 * store or the heap. The first callback that presents the cookie clears it, whatever the outcome; a
 * callback from another browser finds nothing. A flow that led to a sign-in is `spend`-marked in
 * the store until it expires, so replaying it, even with a copy of the cookie, finds nothing: the
 * only state written is for answers the IdP really gave, never for what a client can send alone.
 */
export class LoginFlows {
  private readonly box: SealedBox;
  private readonly mode: CookieMode;

  constructor(
    private readonly config: BridgeConfig,
    private readonly store: Store,
    private readonly clock: Clock,
  ) {
    this.box = new SealedBox(config.server.sessionSecrets, 'login-flow');
    const publicUrl = config.server.publicUrl;
    this.mode = publicUrl.startsWith('https:') ? 'https' : isLoopbackUrl(publicUrl) ? 'loopback-http' : 'http';
  }

  async begin(ctx: Context, flow: LoginFlow): Promise<void> {
    const ttl = this.config.server.loginFlowTtlSeconds;
    const id = randomBytes(16).toString('base64url');
    const sealed = this.box.seal({ id, flow, exp: this.clock.now() + ttl * 1000 } satisfies SealedFlow);
    this.setCookies(ctx, sealed, ttl);
    return Promise.resolve();
  }

  /** The live flow of this browser for `idp`, left in place: to look at before `take`. */
  peek(ctx: Context, idp: string): LoginFlow | undefined {
    const { live } = this.read(ctx);
    return live?.flow.idp === idp ? live.flow : undefined;
  }

  /** Takes the flow of this browser for `idp`, once. Throws ERR_AUTH_FLOW_MISSING when there is none. */
  async take(ctx: Context, idp: string): Promise<TakenFlow> {
    const { presented, value, opened, live } = this.read(ctx);
    this.setCookies(ctx, null, 0);
    const spent = live !== undefined && (await this.store.find(spentKey(live.id))) !== undefined;
    if (!live || spent) {
      throw new BridgeError('ERR_AUTH_FLOW_MISSING', {
        userMessage: sentence('err.ERR_AUTH_FLOW_MISSING'),
        hint: sentence('hint.startAgain'),
        // Which cookies came tells a cross-site cookie problem (none arrived on the IdP's POST)
        // from an expired or foreign flow.
        detail: {
          reason:
            value === undefined
              ? 'no flow cookie'
              : !opened
                ? 'flow cookie not ours or altered'
                : !live
                  ? 'flow expired'
                  : 'flow already used',
          cookies: Object.fromEntries(presented.map((c) => [c.name, c.value === undefined ? 'absent' : 'present'])),
          method: ctx.method,
          fetchSite: ctx.get('Sec-Fetch-Site') || undefined,
        },
      });
    }
    if (live.flow.idp !== idp) {
      // An answer for IdP A arriving at IdP B's callback: a mix-up attempt (docs/security-reference.md §3.2).
      throw new BridgeError('ERR_AUTH_STATE_MISMATCH', { detail: { expected: live.flow.idp, got: idp } });
    }
    return { ...live.flow, id: live.id, exp: live.exp };
  }

  /**
   * Marks a flow that led to a sign-in as used, atomically: of two callbacks presenting the same
   * flow, only one signs in. Call it after the IdP's answer is verified and before the session starts.
   */
  async spend(flow: TakenFlow): Promise<void> {
    const ttlSeconds = Math.max(1, Math.ceil((flow.exp - this.clock.now()) / 1000));
    if (!(await this.store.insert(spentKey(flow.id), 1, ttlSeconds))) {
      throw new BridgeError('ERR_AUTH_FLOW_MISSING', {
        userMessage: sentence('err.ERR_AUTH_FLOW_MISSING.used'),
        hint: sentence('hint.startAgain'),
        detail: { reason: 'flow already used (concurrent callbacks)' },
      });
    }
  }

  /** The flow cookies this request presented, and the flow they hold if it opens and is live. */
  private read(ctx: Context) {
    const presented = this.cookieNames().map((name) => ({ name, value: ctx.cookies.get(name, { signed: false }) }));
    const value = presented.find((c) => c.value)?.value;
    const opened = value === undefined ? undefined : this.box.open<SealedFlow>(value);
    const live = opened && opened.exp > this.clock.now() ? opened : undefined;
    return { presented, value, opened, live };
  }

  /** The cross-site cookie first: when both arrive they carry the same flow. */
  private cookieNames(): string[] {
    if (this.mode === 'https') return [HTTPS_COOKIE];
    return this.mode === 'loopback-http' ? [CROSS_SITE_COOKIE, LAX_COOKIE] : [LAX_COOKIE];
  }

  /** Sets (or, with `value` null, clears) every flow cookie of this mode. */
  private setCookies(ctx: Context, value: string | null, ttlSeconds: number): void {
    const common = { httpOnly: true, path: '/', overwrite: true, signed: false, maxAge: value === null ? undefined : ttlSeconds * 1000 };
    if (this.mode === 'https') {
      ctx.cookies.set(HTTPS_COOKIE, value, { ...common, secure: true, sameSite: 'none' });
      return;
    }
    ctx.cookies.set(LAX_COOKIE, value, { ...common, secure: false, sameSite: 'lax' });
    if (this.mode === 'loopback-http') {
      // Written by hand: Koa refuses Secure cookies on a request that is not https, even on loopback.
      const attributes = `Path=/; Max-Age=${value === null ? 0 : ttlSeconds}; HttpOnly; Secure; SameSite=None`;
      ctx.append('Set-Cookie', `${CROSS_SITE_COOKIE}=${value ?? ''}; ${attributes}`);
    }
  }
}

const spentKey = (id: string) => `loginflow-spent:${id}`;

/**
 * The refusal of an answer to another request than this browser's flow (the SAML ACS and the OIDC
 * callback): usually an earlier tab's sign-in, answered after a later one replaced the flow.
 */
export function answerToAnotherSignIn(code: 'ERR_SAML_OTHER_SIGN_IN' | 'ERR_AUTH_OTHER_SIGN_IN'): BridgeError {
  return new BridgeError(code, {
    userMessage: sentence(`err.${code}`),
    hint: sentence('hint.lastTab'),
  });
}
