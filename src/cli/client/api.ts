import type { z } from 'zod';
import type { CredentialsRequest, CredentialsResponse, FavouriteRequest, FavouriteResponse, RoleInfo, WhoAmI } from '../../wire/api.js';
import type { BridgeClient } from './bridge-client.js';
import { CliError } from './errors.js';

export type { CredentialsRequest, CredentialsResponse, RoleInfo, WhoAmI } from '../../wire/api.js';

/**
 * The server's schemas (src/wire/api.ts), loaded on first use: only calls that go to the network
 * pay for zod, so cached credentials print as fast as ever.
 */
const wire = () => import('../../wire/api.js');

/** An answer in the shape the server's own schema gives it, or a clear error naming the endpoint. */
function answer<T>(schema: z.ZodType<T>, body: unknown, endpoint: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new CliError('ERR_CLI_SERVER_ERROR', `The server's answer to ${endpoint} is not what this rambridge expects.`, {
    hint: 'Tell your administrator; the server may be a different version.',
  });
}

/** Who the session is, and when the server sent that by its clock (for the time left: see offline.ts). */
export const whoami = async (client: BridgeClient): Promise<{ me: WhoAmI; serverDate: number | undefined }> => {
  const { body, serverDate } = await client.getDated<unknown>('/api/whoami');
  return { me: answer((await wire()).whoAmISchema, body, 'GET /api/whoami'), serverDate };
};

export const listRoles = async (client: BridgeClient): Promise<RoleInfo[]> =>
  answer((await wire()).rolesResponseSchema, await client.get<unknown>('/api/roles'), 'GET /api/roles').roles;

/** New credentials, and when the server sent them by its clock (for the cache: see credential-cache.ts). */
export interface IssuedCredentials {
  credentials: CredentialsResponse;
  serverDate: number | undefined;
}

export const issueCredentials = async (client: BridgeClient, request: CredentialsRequest): Promise<IssuedCredentials> => {
  const { body, serverDate } = await client.postDated<unknown>('/api/credentials', request);
  return { credentials: answer((await wire()).credentialsResponseSchema, body, 'POST /api/credentials'), serverDate };
};

/** Stars or unstars a role on the server (shared with the web picker). */
export const setFavourite = async (client: BridgeClient, request: FavouriteRequest): Promise<FavouriteResponse> =>
  answer((await wire()).favouriteResponseSchema, await client.post<unknown>('/api/favourites', request), 'POST /api/favourites');

/** Whether the server keeps favourites itself (newer than the field): it then reports `favourite` on every role. */
export function serverKeepsFavourites(roles: readonly RoleInfo[]): boolean {
  return roles.some((r) => r.favourite !== undefined);
}

/** The RAM role name: the part of the ARN after `role/`. */
export { ramRoleName as roleName } from '../../wire/role-match.js';
