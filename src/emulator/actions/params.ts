import { parseRoleArn } from '../arn.js';
import type { Directory, RoleEntry } from '../directory.js';
import * as errors from '../errors.js';
import type { PolicyDocument } from '../policy.js';
import { parseSessionPolicy } from '../session-policy.js';

/** Reading the parameters the AssumeRole* actions share, with the documented refusals. */

/** A required parameter; `MissingParameter.<Name>` when absent or empty. */
export function required(params: Readonly<Record<string, string>>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw errors.missingParameter(name);
  return value;
}

/**
 * A parameter whose length the docs bound (`SAMLAssertion` 4–100,000, `OIDCToken` 4–20,000).
 * Checked before any parsing, so an oversized value costs nothing.
 */
export function boundedLength(params: Readonly<Record<string, string>>, name: string, min: number, max: number): string {
  const value = required(params, name);
  if (value.length < min || value.length > max) {
    throw errors.invalidParameter(name, `length ${value.length} not in ${min}–${max}`);
  }
  return value;
}

/** The role a well-formed RoleArn names; `notFound` builds the action's own not-found error. */
export function role(directory: Directory, arn: string, notFound: (arn: string) => errors.AlibabaError): RoleEntry {
  if (!parseRoleArn(arn)) throw errors.invalidRoleArn(arn);
  const entry = directory.role(arn);
  if (!entry) throw notFound(arn);
  return entry;
}

/** DurationSeconds: default 3,600, at least 900, at most `max` (the role's MaxSessionDuration). */
export function durationSeconds(raw: string | undefined, max: number): number {
  if (raw === undefined) return Math.min(3600, max);
  const seconds = /^\d{1,6}$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds >= 900 && seconds <= max)) throw errors.invalidDuration(max, `DurationSeconds ${raw}`);
  return seconds;
}

/** RoleSessionName as a parameter (AssumeRole, AssumeRoleWithOIDC): 2–64 of `A-Z a-z 0-9 . @ _ -`. */
export function roleSessionName(params: Readonly<Record<string, string>>): string {
  const name = required(params, 'RoleSessionName');
  if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(name)) throw errors.invalidRoleSessionName(`RoleSessionName "${name}"`);
  return name;
}

/** The optional session policy. Present-but-empty is refused: the docs give 1–2,048 characters. */
export function sessionPolicy(params: Readonly<Record<string, string>>): PolicyDocument | undefined {
  const text = params.Policy;
  if (text === undefined) return undefined;
  if (text === '') throw errors.invalidPolicyGrammar('empty Policy');
  return parseSessionPolicy(text);
}
