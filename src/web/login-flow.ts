import { randomBytes } from 'node:crypto';
import type { Context } from 'koa';
import type { BridgeConfig } from '../config/index.js';
import { BridgeError } from '../errors.js';
import type { FlowSecrets } from '../idp/connector.js';
import type { Store } from '../store/index.js';

/** A sign-in in progress: which IdP, where to go afterwards, and the secrets to check the answer with. */
export interface LoginFlow {
  idp: string;
  returnTo: string;
  secrets: FlowSecrets;
  startedAt: number;
}

/**
 * Binds each sign-in to the browser that started it: the flow lives in the store under a random id
 * kept in a short-lived cookie, and is consumed (deleted) by the first callback that presents it,
 * whatever the outcome. A callback from another browser, or a replayed one, finds nothing.
 */
export class LoginFlows {
  private readonly cookieName: string;
  private readonly secure: boolean;

  constructor(
    private readonly store: Store,
    private readonly config: BridgeConfig,
  ) {
    this.secure = config.server.publicUrl.startsWith('https:');
    this.cookieName = this.secure ? '__Host-rambridge-flow' : 'rambridge.flow';
  }

  async begin(ctx: Context, flow: LoginFlow): Promise<void> {
    const id = randomBytes(32).toString('base64url');
    const ttl = this.config.server.loginFlowTtlSeconds;
    await this.store.upsert(flowKey(id), flow, ttl);
    ctx.cookies.set(this.cookieName, id, {
      httpOnly: true,
      secure: this.secure,
      // A SAML answer is a cross-site POST from the IdP, which Lax cookies do not accompany; on
      // https the flow cookie is therefore SameSite=None (and Secure). Plain http is loopback
      // development only, where IdP and bridge are same-site and Lax suffices.
      sameSite: this.secure ? 'none' : 'lax',
      path: '/',
      maxAge: ttl * 1000,
      overwrite: true,
      signed: false,
    });
  }

  /** Takes the flow of this browser for `idp`, once. Throws ERR_AUTH_FLOW_MISSING when there is none. */
  async take(ctx: Context, idp: string): Promise<LoginFlow> {
    const id = ctx.cookies.get(this.cookieName, { signed: false });
    ctx.cookies.set(this.cookieName, null, { path: '/', secure: this.secure, httpOnly: true, overwrite: true });
    const flow = id && /^[A-Za-z0-9_-]{43}$/.test(id) ? await this.store.consume<LoginFlow>(flowKey(id)) : undefined;
    if (!flow) {
      throw new BridgeError('ERR_AUTH_FLOW_MISSING', {
        userMessage: 'This sign-in was not started in this browser, has expired, or was already used.',
        hint: 'Start the sign-in again from rambridge.',
      });
    }
    if (flow.idp !== idp) {
      // An answer for IdP A arriving at IdP B's callback: a mix-up attempt (docs/security-reference.md §3.2).
      throw new BridgeError('ERR_AUTH_STATE_MISMATCH', { detail: { expected: flow.idp, got: idp } });
    }
    return flow;
  }
}

const flowKey = (id: string) => `loginflow:${id}`;
