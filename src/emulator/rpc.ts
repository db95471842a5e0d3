import type { Context } from 'koa';
import { assumeRole } from './actions/assume-role.js';
import { assumeRoleWithOidc } from './actions/assume-role-with-oidc.js';
import { assumeRoleWithSaml } from './actions/assume-role-with-saml.js';
import { getCallerIdentity } from './actions/get-caller-identity.js';
import type { EmulatorDeps } from './deps.js';
import * as errors from './errors.js';
import { collectParams, requestIdOf, sendJson } from './http.js';
import type { ActionHandler, RpcRequest } from './rpc-types.js';

/**
 * STS on the RPC wire protocol (docs/alibaba-cloud-reference.md §1–§3): `Action` and `Version` from the parameters
 * (query or form body), or from the `x-acs-action` / `x-acs-version` headers of a V3-signed call,
 * which carries no Action parameter. Answers JSON `{RequestId, …}`.
 */

const ACTIONS: Record<string, ActionHandler> = {
  AssumeRoleWithSAML: assumeRoleWithSaml,
  AssumeRoleWithOIDC: assumeRoleWithOidc,
  AssumeRole: assumeRole,
  GetCallerIdentity: getCallerIdentity,
};

const VERSION = '2015-04-01';

/** The STS endpoint (`/`): dispatches to the action handler and answers its body as JSON. */
export function stsRpc(deps: EmulatorDeps) {
  return async function handleRpc(ctx: Context): Promise<void> {
    const { params, query } = collectParams(ctx);
    const headers = Object.fromEntries(Object.entries(ctx.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]));
    const action = agreeing('Action', params.Action, headers['x-acs-action']);
    const version = agreeing('Version', params.Version, headers['x-acs-version']);
    const handler = action === undefined ? undefined : Object.hasOwn(ACTIONS, action) ? ACTIONS[action] : undefined;
    if (!handler) throw errors.actionNotFound(`Action ${action ?? '(none)'}`);
    if (version !== VERSION) throw errors.invalidVersion(`Version ${version ?? '(none)'}`);
    if (params.Format !== undefined && params.Format.toUpperCase() !== 'JSON') throw errors.formatNotSupported();

    const rawBody = ctx.request.rawBody ?? '';
    const request: RpcRequest = { method: ctx.method, path: ctx.path, params, query, headers, rawBody };
    const { directory, state, documents } = deps;
    const body = await handler({ request, directory, state, documents, now: deps.clock.now() });
    sendJson(ctx, { RequestId: requestIdOf(ctx), ...body });
  };
}

/** A value given as a parameter and/or a header; both must agree when both are present. */
function agreeing(name: string, param: string | undefined, header: string | undefined): string | undefined {
  if (param !== undefined && header && param !== header) {
    throw errors.invalidParameter(name, `parameter ${param} vs header ${header}`);
  }
  return param ?? (header || undefined);
}
