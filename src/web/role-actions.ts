import type { Context } from 'koa';
import type { CheckedRoleRequest } from '../issuance/role-request.js';

/**
 * What "Open console" and "Get CLI credentials" do with a checked request (src/web/console-actions.ts
 * builds them from the issuer); a bridge without them answers a clear "not configured" page.
 */
export interface RoleActions {
  openConsole?(ctx: Context, request: CheckedRoleRequest): Promise<void>;
  showCredentials?(ctx: Context, request: CheckedRoleRequest): Promise<void>;
}
