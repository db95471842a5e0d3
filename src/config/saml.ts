import { z } from 'zod';
import { DEFAULTS } from './defaults.js';
import { isLoopbackUrl } from './urls.js';

/**
 * Configuration of an upstream SAML 2.0 IdP (the bridge as Service Provider). Kept apart from the
 * OIDC schema: the two share nothing but `id` and `displayName`.
 */

/** The NameID formats the bridge may ask for (AuthnRequest NameIDPolicy) and lists in its metadata. */
export const NAMEID_FORMATS = {
  emailAddress: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
  persistent: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
  unspecified: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
} as const;

export type NameIdFormat = keyof typeof NAMEID_FORMATS;

/**
 * Which signatures a SAML answer must carry. Any signature that is present must verify, whatever
 * this says; an answer with neither is always refused.
 * - `both`: the Response and the Assertion (what Okta sends by default).
 * - `assertion`: the Assertion; the Response may be unsigned (Entra ID's default "Sign SAML
 *   assertion", SimpleSAMLphp's default). The identity comes from the signed Assertion alone.
 * - `response`: the Response; its Assertion may be unsigned, covered by the Response signature
 *   (Entra's "Sign SAML response" option). Opt-in only: no preset chooses it.
 */
export const SIGNATURE_REQUIREMENTS = ['both', 'assertion', 'response'] as const;
export type SignatureRequirement = (typeof SIGNATURE_REQUIREMENTS)[number];

interface SamlPreset {
  email?: string;
  /** Whether the IdP only ever sends addresses it has verified (see `emailVerified` in the schema). */
  emailVerified: boolean;
  groups: readonly string[];
  name?: string;
  firstName?: string;
  lastName?: string;
  nameIdFormat: NameIdFormat;
  /** The signatures the IdP sends by default. */
  requireSigned: SignatureRequirement;
}

/** Attribute names used by well-known IdPs' SAML apps; `attributes` in the config overrides entries. */
export const SAML_PRESETS = {
  /** Okta app integration defaults; NameID is the email. */
  okta: {
    email: 'email',
    /** Okta's `user.email` is the primary address, confirmed by the user before it is used. */
    emailVerified: true,
    groups: ['groups'],
    name: undefined,
    firstName: 'firstName',
    lastName: 'lastName',
    nameIdFormat: 'emailAddress',
    /** Okta signs the Response and (Assertion Signature: Signed) the Assertion by default. */
    requireSigned: 'both',
  },
  /** Entra ID enterprise app defaults; NameID is the UPN, sent as emailAddress when asked for it. */
  entra: {
    email: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress',
    /** Entra's `user.mail` is not verified (nOAuth): admins, and guests' home tenants, set any address. */
    emailVerified: false,
    groups: ['http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
    name: 'http://schemas.microsoft.com/identity/claims/displayname',
    firstName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname',
    lastName: 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname',
    nameIdFormat: 'emailAddress',
    /** Entra's default signing option is "Sign SAML assertion": the Response is not signed. */
    requireSigned: 'assertion',
  },
  /**
   * Any IdP: asks for no particular NameID format, so the IdP's own setting decides. A signed
   * Assertion is what the Web SSO profile asks of every IdP (SimpleSAMLphp signs only that by
   * default); a Response-only signature must be chosen explicitly.
   */
  generic: {
    email: 'email',
    emailVerified: false,
    groups: ['groups'],
    name: 'name',
    firstName: undefined,
    lastName: undefined,
    nameIdFormat: 'unspecified',
    requireSigned: 'assertion',
  },
} as const satisfies Record<string, SamlPreset>;

const pemOrFile = z.string().min(1);

export const samlIdpSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'use 1–63 lower-case letters, digits and dashes')
      // /saml/idp/metadata is the bridge's own IdP metadata (toward RAM), not an upstream IdP's.
      .refine((id) => id !== 'idp', "reserved (/saml/idp/ is the bridge's own IdP metadata)"),
    type: z.literal('saml'),
    displayName: z.string().min(1).optional(),
    preset: z.enum(['okta', 'entra', 'generic']).default(DEFAULTS.saml.preset),
    /** The IdP's SSO URL (HTTP-Redirect binding). From metadata when omitted. */
    entryPoint: z.url({ protocol: /^https?$/ }).optional(),
    /** The IdP's entityID; the Response and assertion Issuer must equal it. From metadata when omitted. */
    issuer: z.string().min(1).optional(),
    /** Pinned IdP signing certificates (PEM text or file paths); several during a rollover. */
    certificates: z.array(pemOrFile).min(1).optional(),
    /** IdP metadata XML file or https URL, read for entryPoint, issuer and certificates not set above. */
    metadata: z.string().min(1).optional(),
    /** Seconds after which `metadata` is read again (next sign-in or /readyz; also on SIGHUP). */
    metadataRefreshSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86400)
      .default(DEFAULTS.idp.metadataRefreshSeconds),
    attributes: z
      .strictObject({
        email: z.string().min(1).optional(),
        groups: z.array(z.string().min(1)).min(1).optional(),
        name: z.string().min(1).optional(),
        firstName: z.string().min(1).optional(),
        lastName: z.string().min(1).optional(),
      })
      .optional(),
    /**
     * The IdP vouches for the email it sends (attribute, or an emailAddress NameID): only then is
     * it used, to match `emailDomains` grants and to name the user toward Alibaba Cloud. Default
     * from the preset: okta true, entra and generic false. Set it only when users cannot choose
     * their own address at the IdP.
     */
    emailVerified: z.boolean().optional(),
    /** The NameID format asked for; the NameID keys the user, so it must be stable (never transient). */
    nameIdFormat: z.enum(Object.keys(NAMEID_FORMATS) as [NameIdFormat]).optional(),
    /** Which signatures an answer must carry (both | assertion | response); default from the preset. */
    requireSigned: z.enum(SIGNATURE_REQUIREMENTS).optional(),
    /**
     * Split a single group value on this delimiter (IdPs that send "a,b,c"); several values are
     * taken as sent. Only for IdPs whose group names cannot hold it: "x,admins" would read as two.
     */
    groupsDelimiter: z.string().min(1).optional(),
    /** Entra sends group object ids; map them to names used in grants. */
    groupNames: z.record(z.string(), z.string()).optional(),
    /** Our SP entityID; default `${publicUrl}/saml/<id>/metadata`. */
    spEntityId: z.string().min(1).optional(),
    /** SP key and certificate (PEM or file) to sign AuthnRequests and to decrypt assertions. */
    spPrivateKey: pemOrFile.optional(),
    spCertificate: pemOrFile.optional(),
    /**
     * Accept sign-ins started at the IdP (a dashboard tile). Such a response answers no request of
     * ours, so it cannot be bound to the browser that posts it (login CSRF): the bridge never
     * accepts it as a sign-in, it restarts as an SP-initiated sign-in instead. Off: refused.
     */
    allowIdpInitiated: z.boolean().default(DEFAULTS.saml.allowIdpInitiated),
    clockSkewSeconds: z.number().int().min(0).max(60).default(DEFAULTS.saml.clockSkewSeconds),
    maxAssertionAgeSeconds: z.number().int().min(60).max(86400).default(DEFAULTS.saml.maxAssertionAgeSeconds),
  })
  .superRefine((idp, ctx) => {
    const need = (key: 'entryPoint' | 'issuer' | 'certificates') => {
      if (idp.metadata === undefined && idp[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `required (or set metadata to read it from the IdP's metadata)` });
      }
    };
    need('entryPoint');
    need('issuer');
    need('certificates');
    if ((idp.spPrivateKey === undefined) !== (idp.spCertificate === undefined)) {
      const missing = idp.spPrivateKey === undefined ? 'spPrivateKey' : 'spCertificate';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'spPrivateKey and spCertificate go together' });
    }
    // Metadata carries the certificates we trust: fetching it over plain http would let anyone on
    // the path sign assertions for this IdP.
    if (idp.metadata && /^http:/i.test(idp.metadata) && !isLoopbackUrl(idp.metadata)) {
      ctx.addIssue({ code: 'custom', path: ['metadata'], message: 'fetch IdP metadata over https (plain http only on loopback)' });
    }
    if (idp.entryPoint && /^http:/i.test(idp.entryPoint) && !isLoopbackUrl(idp.entryPoint)) {
      ctx.addIssue({ code: 'custom', path: ['entryPoint'], message: 'use an https entry point (plain http only on loopback)' });
    }
  });

export type SamlIdpConfig = z.infer<typeof samlIdpSchema>;
