/**
 * The one OAuth client of the device flow: the `rambridge` CLI. It is a public client (RFC 6749
 * §2.1): it runs on people's machines and can keep no secret, so it authenticates with nothing but
 * its id, and PKCE plus the user's approval carry the security.
 */
export const CLI_CLIENT_ID = 'rambridge-cli';
/**
 * `aud` of CLI access tokens: our own API, never STS (ASVS 9.2.4: one key, distinct audiences).
 * The configuration refuses it as an audience for STS (src/config/references.ts).
 */
export const API_AUDIENCE = 'rambridge-api';

/** RFC 8628 §3.4: the grant type of a device-code poll. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

/**
 * The form parameters of each `/oauth/*` request (form-encoded, RFC 6749 §3.2): what the CLI sends
 * (`satisfies OAuthRequest<…>`) and the only names the server reads (`oauthParams<…>`), so a
 * parameter renamed on one side fails to compile on the other. The RFC's rules on their values
 * (sent once, empty means absent) are the server's, in src/web/oauth-params.ts.
 */
export interface OAuthRequests {
  /** `POST /oauth/device_authorization` (RFC 8628 §3.1, PKCE RFC 7636 §4.3). */
  device_authorization: {
    client_id: string;
    code_challenge?: string;
    code_challenge_method?: 'S256';
    client_host?: string;
    client_version?: string;
  };
  /** `POST /oauth/token`, polling with the device code (RFC 8628 §3.4). */
  device_code_grant: { grant_type: typeof DEVICE_CODE_GRANT; device_code: string; code_verifier?: string; client_id: string };
  /** `POST /oauth/token`, rotating the refresh token (RFC 6749 §6). */
  refresh_token_grant: { grant_type: 'refresh_token'; refresh_token: string; client_id: string };
  /** `POST /oauth/revoke` (RFC 7009 §2.1). */
  revoke: { token: string; token_type_hint?: 'refresh_token' | 'access_token'; client_id: string };
}

export type OAuthRequest<K extends keyof OAuthRequests> = OAuthRequests[K];

/** The parameter names of one or more requests (a union of requests gives every name of each). */
export type OAuthParamName<K extends keyof OAuthRequests> = K extends keyof OAuthRequests ? Extract<keyof OAuthRequests[K], string> : never;
