import Router from '@koa/router';
import type { Context } from 'koa';
import type { CliSession, DeviceFlow } from '../../device/index.js';
import { BridgeError, sentence } from '../../errors.js';
import type { WebDeps } from '../deps.js';
import { requireAccessToken } from '../middleware/bearer.js';
import { checkRoleRequest, maxDuration, maxDurationNow, roleNotNamed, type RoleRequest } from '../../issuance/role-request.js';
import {
  credentialsRequestSchema,
  favouriteRequestSchema,
  type CredentialsResponse,
  type FavouriteResponse,
  type RolesResponse,
  type WhoAmI,
} from '../../wire/api.js';
import { isoSeconds } from '../../iso-time.js';
import { clientIp } from '../client-ip.js';
import { rolePreferencesFor, setFavourite } from '../role-preferences.js';

/**
 * The bearer-token API the CLI uses. The session's identity is mapped to roles afresh on every
 * call, so a changed mapping applies at once, and credentials come from the same issuer, checks
 * and audit as the web's "Get CLI credentials".
 */
export function apiRoutes(deps: WebDeps, device: DeviceFlow): Router {
  const router = new Router();
  const { config, mapper } = deps;
  const bearer = requireAccessToken(device, config.idps, deps.audit);
  const sessionOf = (ctx: Context) => ctx.state.cliSession as CliSession;

  router.get('/api/whoami', bearer, async function whoami(ctx) {
    const { identity, expiresAt } = sessionOf(ctx);
    ctx.body = {
      idp: identity.idp,
      issuer: identity.issuer,
      subject: identity.subject,
      email: identity.email,
      name: identity.name,
      groups: identity.groups,
      amr: identity.amr,
      sessionExpiresAt: isoSeconds(new Date(expiresAt)),
    } satisfies WhoAmI;
  });

  router.get('/api/roles', bearer, async function listRoles(ctx) {
    const { identity, expiresAt } = sessionOf(ctx);
    const choices = mapper.rolesFor(identity);
    const session = { now: deps.clock.now(), endsAt: expiresAt };
    const prefs = await rolePreferencesFor(deps, identity, choices);
    const lastUsed = new Map(prefs.recents.map((r) => [r.roleId, r.usedAt]));
    ctx.body = {
      roles: choices.map(({ role }) => ({
        id: role.id,
        arn: role.arn,
        accountId: role.accountId,
        accountName: role.accountName,
        description: role.description,
        via: role.via,
        maxSessionDuration: maxDuration(role, config.elevation),
        // What this CLI session can get now: credentials never outlive it (checkRoleRequest).
        maxDurationNow: maxDurationNow(role, config.elevation, session),
        elevated: role.elevated,
        favourite: prefs.favourites.includes(role.id),
        lastUsedAt: lastUsed.get(role.id),
        lastDuration: prefs.lastDurations[role.id],
      })),
    } satisfies RolesResponse;
  });

  /** Stars or unstars one of the user's roles; shared with the web picker (POST /roles/favourite). */
  const favourite = async (ctx: Context, roleId: string, on: boolean) => {
    const { identity } = sessionOf(ctx);
    const now = await setFavourite(deps, identity, mapper.rolesFor(identity), roleId, on);
    ctx.body = { role: roleId, favourite: now } satisfies FavouriteResponse;
  };

  router.post('/api/favourites', bearer, async function changeFavourite(ctx) {
    const parsed = favouriteRequestSchema.safeParse(ctx.is('application/json') ? ctx.request.body : undefined);
    if (!parsed.success) throw new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.favouriteJson') });
    await favourite(ctx, parsed.data.role, parsed.data.favourite);
  });
  router.put('/api/favourites/:roleId', bearer, async function addFavourite(ctx) {
    await favourite(ctx, ctx.params.roleId!, true);
  });
  router.delete('/api/favourites/:roleId', bearer, async function removeFavourite(ctx) {
    await favourite(ctx, ctx.params.roleId!, false);
  });

  router.post('/api/credentials', bearer, async function issueCredentials(ctx) {
    if (!ctx.is('application/json')) throw new BridgeError('ERR_BAD_REQUEST', { userMessage: sentence('err.ERR_BAD_REQUEST.json') });
    const { identity, connectorData, expiresAt } = sessionOf(ctx);
    const request = checkRoleRequest(
      roleRequestFromJson(ctx.request.body),
      identity,
      mapper.rolesFor(identity),
      config.elevation,
      { now: deps.clock.now(), endsAt: expiresAt },
      ctx.state.log,
    );
    if (!deps.credentials) {
      throw new BridgeError('ERR_NOT_CONFIGURED', {
        userMessage: sentence('err.ERR_NOT_CONFIGURED.issuer'),
      });
    }
    const issued = await deps.credentials.issue({
      ...request,
      channel: 'cli',
      clientIp: clientIp(ctx),
      requestId: ctx.state.requestId,
      connectorData,
    });
    const { credentials } = issued;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Pragma', 'no-cache');
    ctx.body = {
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      securityToken: credentials.securityToken,
      expiration: isoSeconds(credentials.expiration),
      // What STS was asked for: the request's duration, cut to what is left of the CLI session.
      durationSeconds: request.durationSeconds,
      roleArn: issued.roleArn,
      assumedRoleArn: issued.assumedRoleArn,
      roleSessionName: issued.roleSessionName,
      requestId: issued.requestId,
    } satisfies CredentialsResponse;
  });

  return router;
}

/** `{role, durationSeconds, justification?}` (src/wire/api.ts) as a role request; only the shape is checked here. */
function roleRequestFromJson(body: unknown): RoleRequest {
  const parsed = credentialsRequestSchema.safeParse(body ?? {});
  if (!parsed.success) throw roleNotNamed();
  const { role, durationSeconds, justification } = parsed.data;
  return { roleId: role, durationSeconds, justification };
}
