import { z } from 'zod';

/**
 * The JSON bodies of the bearer-token API (`/api/*`), one schema each, shared by the server (it
 * parses requests and builds answers of these types) and the CLI (it parses the answers). zod only:
 * the CLI loads this lazily, on the network path, so cached credentials print without it.
 */

/** `GET /api/whoami`: who the CLI session acts as. */
export const whoAmISchema = z.object({
  idp: z.string(),
  issuer: z.string(),
  subject: z.string(),
  email: z.string().optional(),
  name: z.string().optional(),
  groups: z.array(z.string()),
  amr: z.array(z.string()).optional(),
  /** ISO 8601, to the second. */
  sessionExpiresAt: z.string().optional(),
});
export type WhoAmI = z.infer<typeof whoAmISchema>;

/**
 * Role and IdP ids: what the server's config allows (`slug` in src/config/fields.ts). The CLI holds a server's
 * answer to it too: a role id reaches shell completion, `process_command` and suggested commands,
 * where a `$(…)` or a space from a hostile server would be code or an extra argument.
 */
export const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** One role of `GET /api/roles`. */
export const roleInfoSchema = z.object({
  id: z.string().regex(ID_PATTERN),
  arn: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  description: z.string().optional(),
  via: z.string(),
  /**
   * The longest session this user may ask for, seconds (capped for chained and elevated roles),
   * whatever is left of the CLI session: a longer request is refused (ERR_DURATION_INVALID).
   */
  maxSessionDuration: z.number(),
  /**
   * The most the CLI session that asks can get now, seconds: `maxSessionDuration`, cut to what is
   * left of that session less a minute (credentials never outlive it, and it shrinks by the second);
   * 0 when that is under STS's minimum (900 s): nothing can be offered, and a new login is what helps
   * (with under 900 s left, a request is refused ERR_NOT_SIGNED_IN). Optional: a server older than
   * it does not send it.
   */
  maxDurationNow: z.number().optional(),
  elevated: z.boolean(),
  /**
   * The user's own preferences, shared with the web picker. Optional: a server older than them
   * sends none, and the CLI then falls back to what it remembers locally.
   */
  favourite: z.boolean().optional(),
  /** When this user last got credentials or the console for the role (ISO 8601, to the second). */
  lastUsedAt: z.string().optional(),
  /** The duration (seconds) this user last asked for, when still within `maxSessionDuration`. */
  lastDuration: z.number().optional(),
});
export type RoleInfo = z.infer<typeof roleInfoSchema>;

export const rolesResponseSchema = z.object({ roles: z.array(roleInfoSchema) });
export type RolesResponse = z.infer<typeof rolesResponseSchema>;

/**
 * `POST /api/credentials`. Only `role` must have its type: a duration or justification of the wrong
 * type reads as absent, so the server refuses it with its own code (ERR_DURATION_INVALID,
 * ERR_JUSTIFICATION_REQUIRED) after checking the role, as for the web form.
 */
export const credentialsRequestSchema = z.object({
  role: z.string(),
  durationSeconds: z.number().optional().catch(undefined),
  justification: z.string().optional().catch(undefined),
});
export type CredentialsRequest = z.input<typeof credentialsRequestSchema>;

/** The answer to `POST /api/credentials`: STS credentials for the role, and where they came from. */
export const credentialsResponseSchema = z.object({
  accessKeyId: z.string(),
  accessKeySecret: z.string(),
  securityToken: z.string(),
  /** ISO 8601, to the second. */
  expiration: z.string(),
  /**
   * How long they were issued for, seconds: the duration asked for, cut to what was left of the CLI
   * session when that ends sooner (credentials never outlive it; the CLI then says so). Optional: a
   * server older than it does not send it.
   */
  durationSeconds: z.number().optional(),
  roleArn: z.string(),
  assumedRoleArn: z.string().optional(),
  roleSessionName: z.string().optional(),
  requestId: z.string().optional(),
});
export type CredentialsResponse = z.infer<typeof credentialsResponseSchema>;

/**
 * `POST /api/favourites`: star (`favourite: true`) or unstar one of the user's roles. Also
 * `PUT` / `DELETE /api/favourites/:roleId` without a body. The answer is a `FavouriteResponse`.
 */
export const favouriteRequestSchema = z.object({ role: z.string(), favourite: z.boolean() });
export type FavouriteRequest = z.infer<typeof favouriteRequestSchema>;

/** The role's favourite state after the change. */
export const favouriteResponseSchema = z.object({ role: z.string(), favourite: z.boolean() });
export type FavouriteResponse = z.infer<typeof favouriteResponseSchema>;
