import { z } from 'zod';
import { ID_PATTERN } from '../wire/api.js';

/** Field shapes shared by the configuration schema (schema.ts) and the IdP schemas (oidc.ts). */

/** The id of an IdP, account, role or grant (ID_PATTERN). */
export const slug = z.string().regex(ID_PATTERN, 'use 1–63 lower-case letters, digits and dashes');

export const httpUrl = z.url({ protocol: /^https?$/, error: 'an absolute http(s) URL' });
