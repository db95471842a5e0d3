import { z } from 'zod';

/**
 * The JSON answers of the bridge's OAuth endpoints (`/oauth/*`), one schema each, shared by the
 * server (it builds answers of these types) and the CLI (it parses them). The requests are
 * form-encoded (RFC 6749 §4.1.3, RFC 8628 §3.1) and read by src/web/oauth-params.ts. zod only,
 * loaded lazily by the CLI; the client id, needed without zod, is in oauth.ts.
 */

/** RFC 8628 §3.2: the answer to `POST /oauth/device_authorization`. */
export const deviceAuthorizationSchema = z.object({
  device_code: z.string(),
  user_code: z.string(),
  verification_uri: z.string(),
  verification_uri_complete: z.string().optional(),
  expires_in: z.number(),
  interval: z.number().optional(),
});
export type DeviceAuthorization = z.infer<typeof deviceAuthorizationSchema>;

/** RFC 6749 §5.1: the answer of `POST /oauth/token` to the device_code and refresh_token grants. */
export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.string(),
  /** Seconds the access token lives. */
  expires_in: z.number(),
  /** Rotating: the one sent in exchange is dead from now on. */
  refresh_token: z.string(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/**
 * RFC 6749 §5.2: every refusal of `/oauth/*` (and of `/api/*`, which answers in the same form),
 * with the bridge's stable error code, a hint for the user and the request id for support.
 */
export const oauthErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional().catch(undefined),
  /** The same sentence in the request's language, where `error_description` must stay English (ASCII, on `/oauth/*`). */
  message: z.string().optional().catch(undefined),
  code: z.string().optional().catch(undefined),
  hint: z.string().optional().catch(undefined),
  request_id: z.string().optional().catch(undefined),
});
export type OAuthErrorBody = z.infer<typeof oauthErrorSchema>;
