/**
 * The one OAuth client of the device flow: the `rambridge` CLI. It is a public client (RFC 6749
 * §2.1): it runs on people's machines and can keep no secret, so it authenticates with nothing but
 * its id, and PKCE plus the user's approval carry the security.
 */
export const CLI_CLIENT_ID = 'rambridge-cli';
