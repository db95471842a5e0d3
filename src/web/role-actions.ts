import type { Context } from 'koa';
import type { Identity } from '../idp/identity.js';
import type { RoleChoice } from '../mapping/index.js';

/** A role request that passed every check: signed in, CSRF, role held, duration in range. */
export interface RoleRequest {
  identity: Identity;
  choice: RoleChoice;
  durationSeconds: number;
  /** Required for elevated roles; kept in the audit record. */
  justification?: string;
}

/**
 * What "Open console" and "Get CLI credentials" do. The console/issuer module supplies these; a
 * bridge without them answers a clear "not configured" page.
 */
export interface RoleActions {
  openConsole?(ctx: Context, request: RoleRequest): Promise<void>;
  showCredentials?(ctx: Context, request: RoleRequest): Promise<void>;
}
