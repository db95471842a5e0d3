import { z } from 'zod';
import { ACCOUNT_ID, PROVIDER_NAME, ROLE_NAME, USER_NAME } from './arn.js';
import { policyDocumentSchema } from './policy.js';
import { trustPolicySchema } from './trust-policy.js';

/**
 * The emulator's YAML: the accounts, RAM users, roles and identity providers it pretends exist.
 * Shapes only; rules across entries (unique names, principals that exist, fetchable URLs) are in
 * config.ts. Unknown keys are errors so a typo never silently drops a setting.
 */

const name = (pattern: RegExp, what: string) => z.string().regex(pattern, `not a valid ${what} name`);

const attachedPolicy = z.strictObject({
  name: z.string().min(1).max(128),
  document: policyDocumentSchema,
});

const accessKey = z.strictObject({
  /** Real AccessKeyIds start with LTAI; STS ones with `STS.`, so the two can never collide. */
  id: z.string().regex(/^LTAI[A-Za-z0-9]{12,28}$/, 'an AccessKeyId is LTAI followed by 12–28 letters or digits'),
  secret: z.string().min(16, 'an AccessKeySecret has at least 16 characters'),
});

const user = z.strictObject({
  name: name(USER_NAME, 'RAM user'),
  accessKeys: z.array(accessKey).min(1),
  /** Identity policies; AssumeRole needs one that allows `sts:AssumeRole` on the role. */
  policies: z.array(attachedPolicy).default([]),
});

const role = z.strictObject({
  name: name(ROLE_NAME, 'RAM role'),
  description: z.string().max(1024).optional(),
  /** Seconds; RAM allows 3,600–43,200 and defaults to 3,600 (docs/alibaba-cloud-reference.md §1, CreateRole). */
  maxSessionDuration: z.int().min(3600).max(43200).default(3600),
  trustPolicy: trustPolicySchema,
  policies: z.array(attachedPolicy).default([]),
});

const samlProvider = z
  .strictObject({
    name: name(PROVIDER_NAME, 'SAML provider'),
    /** The IdP metadata XML as uploaded to RAM… */
    metadataXml: z.string().min(1).optional(),
    /** …or where to fetch it from when first needed (the demo bridge may start after us). */
    metadataUrl: z.string().optional(),
  })
  .refine((p) => (p.metadataXml === undefined) !== (p.metadataUrl === undefined), {
    message: 'give exactly one of metadataXml and metadataUrl',
  });

const oidcProvider = z.strictObject({
  name: name(PROVIDER_NAME, 'OIDC provider'),
  issuer: z.string().max(255),
  clientIds: z.array(z.string().min(1).max(128)).min(1).max(50),
  /** How old (hours since `iat`) a token may be; RAM allows 1–168. */
  issuanceLimitHours: z.int().min(1).max(168),
});

const account = z.strictObject({
  id: z.string().regex(ACCOUNT_ID, 'an account id is 16 digits'),
  alias: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]?$/, 'an alias is lower-case letters, digits and -')
    .optional(),
  users: z.array(user).default([]),
  roles: z.array(role).default([]),
  samlProviders: z.array(samlProvider).default([]),
  oidcProviders: z.array(oidcProvider).default([]),
});

export const emulatorConfigSchema = z.strictObject({
  /** Which site's SAML audience and recipient assertions must carry. */
  site: z.enum(['intl', 'cn']),
  /** Allow plain-http issuers and metadata URLs on loopback addresses. Off by default. */
  allowInsecureLoopbackIssuers: z.boolean().default(false),
  accounts: z.array(account).min(1),
});

export type EmulatorConfig = z.output<typeof emulatorConfigSchema>;
