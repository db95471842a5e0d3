import { z } from 'zod';

/**
 * Configuration of an upstream SAML 2.0 IdP (the bridge as Service Provider). Kept apart from the
 * OIDC schema: the two share nothing but `id` and `displayName`.
 */

/** Attribute names used by well-known IdPs' SAML apps; `attributes` in the config overrides entries. */
export const SAML_PRESETS = {
  /** Okta app integration defaults; NameID is the email. */
  okta: { email: 'email', groups: ['groups'], name: undefined, firstName: 'firstName', lastName: 'lastName' },
  entra: {
    email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    groups: ['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
    name: 'http://schemas.microsoft.com/identity/claims/displayname',
    firstName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
    lastName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
  },
  generic: { email: 'email', groups: ['groups'], name: 'name', firstName: undefined, lastName: undefined },
} as const;

export type SamlPresetName = keyof typeof SAML_PRESETS;

const pemOrFile = z.string().min(1);

export const samlIdpSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use 1–63 lower-case letters, digits and dashes'),
  type: z.literal('saml'),
  displayName: z.string().min(1).optional(),
  preset: z.enum(['okta', 'entra', 'generic']).default('generic'),
  /** The IdP's SSO URL (HTTP-Redirect binding). From metadata when omitted. */
  entryPoint: z.url().optional(),
  /** The IdP's entityID; the assertion Issuer must equal it. From metadata when omitted. */
  issuer: z.string().min(1).optional(),
  /** Pinned IdP signing certificates (PEM text or file paths); several during a rollover. */
  certificates: z.array(pemOrFile).min(1).optional(),
  /** IdP metadata XML file or https URL, read for entryPoint, issuer and certificates. */
  metadata: z.string().min(1).optional(),
  attributes: z
    .strictObject({
      email: z.string().min(1).optional(),
      groups: z.array(z.string().min(1)).min(1).optional(),
      name: z.string().min(1).optional(),
      firstName: z.string().min(1).optional(),
      lastName: z.string().min(1).optional(),
    })
    .optional(),
  /** Split single group values on this delimiter (IdPs that send "a,b,c"). */
  groupsDelimiter: z.string().min(1).optional(),
  /** Entra sends group object ids; map them to names used in grants. */
  groupNames: z.record(z.string(), z.string()).optional(),
  /** Our SP entityID; default `${publicUrl}/saml/<id>/metadata`. */
  spEntityId: z.string().min(1).optional(),
  /** SP key and certificate (PEM or file) to sign AuthnRequests and to decrypt assertions. */
  spPrivateKey: pemOrFile.optional(),
  spCertificate: pemOrFile.optional(),
  /** IdP-initiated sign-in (no AuthnRequest to match). Off: it cannot be bound to a browser. */
  allowIdpInitiated: z.boolean().default(false),
  clockSkewSeconds: z.number().int().min(0).max(60).default(60),
  maxAssertionAgeSeconds: z.number().int().min(60).max(86400).default(300),
});

export type SamlIdpConfig = z.infer<typeof samlIdpSchema>;
