import type { Element } from '@xmldom/xmldom';
import { parseProviderArn, parseRoleArn } from './arn.js';
import { NS, children, onlyChild, parseXml, text, timeAttribute } from './saml-xml.js';

/**
 * Reading an assertion for role-based SSO (docs/alibaba-cloud-reference.md §4 "Required structure" and "Rules").
 * Input is the canonical XML returned by signature verification, so every value here is signed.
 * Structure problems throw; judging the values (issuer, audience, time…) is saml-verify.ts's job.
 */

export const ATTRIBUTE = {
  role: 'https://www.aliyun.com/SAML-Role/Attributes/Role',
  roleSessionName: 'https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName',
  sessionDuration: 'https://www.aliyun.com/SAML-Role/Attributes/SessionDuration',
} as const;

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
const NAME_ID_FORMAT_PREFIX = /^urn:oasis:names:tc:SAML:(1\.1|2\.0):nameid-format:/;

/** One value of the Role attribute: a role and the SAML provider it may be assumed through. */
export interface RolePair {
  roleArn: string;
  providerArn: string;
}

export interface AssertionFacts {
  id: string;
  issuer: string;
  subject: string;
  /** The NameID Format without its `urn:oasis:names:tc:SAML:*:nameid-format:` prefix. */
  subjectType: string;
  recipient: string;
  issueInstant: number;
  notBefore?: number;
  /** The earlier of Conditions@NotOnOrAfter and SubjectConfirmationData@NotOnOrAfter. */
  notOnOrAfter: number;
  /** Audiences of each AudienceRestriction; every restriction must admit the site. */
  audienceRestrictions: string[][];
  sessionNotOnOrAfter?: number;
  roles: RolePair[];
  roleSessionName: string;
  sessionDuration?: string;
}

/** Reads the facts of a signed assertion; throws when its structure is not what RAM requires. */
export function readAssertion(signedXml: string, expectedId: string): AssertionFacts {
  const assertion = parseXml(signedXml).documentElement!;
  if (assertion.namespaceURI !== NS.assertion || assertion.localName !== 'Assertion') {
    throw new Error('signed element is not an Assertion');
  }
  if (assertion.getAttribute('ID') !== expectedId) throw new Error('signed Assertion has another ID');
  if (assertion.getAttribute('Version') !== '2.0') throw new Error('Assertion Version is not 2.0');

  const subject = onlyChild(assertion, NS.assertion, 'Subject');
  const nameId = onlyChild(subject, NS.assertion, 'NameID');
  // Exactly one bearer confirmation: a holder-of-key or second confirmation is refused, not skipped.
  const confirmation = onlyChild(subject, NS.assertion, 'SubjectConfirmation');
  if (confirmation.getAttribute('Method') !== BEARER) throw new Error('SubjectConfirmation Method is not bearer');
  const confirmationData = onlyChild(confirmation, NS.assertion, 'SubjectConfirmationData');
  const conditions = onlyChild(assertion, NS.assertion, 'Conditions');
  const authn = onlyChild(assertion, NS.assertion, 'AuthnStatement');

  const confirmationEnd = required(timeAttribute(confirmationData, 'NotOnOrAfter'), 'SubjectConfirmationData@NotOnOrAfter');
  const conditionsEnd = required(timeAttribute(conditions, 'NotOnOrAfter'), 'Conditions@NotOnOrAfter');
  const attributes = readAttributes(assertion);
  const sessionNames = attributes.get(ATTRIBUTE.roleSessionName) ?? [];
  if (sessionNames.length !== 1) throw new Error(`RoleSessionName has ${sessionNames.length} values, expected 1`);
  const durations = attributes.get(ATTRIBUTE.sessionDuration) ?? [];
  if (durations.length > 1) throw new Error('SessionDuration has several values');
  const roleValues = attributes.get(ATTRIBUTE.role) ?? [];
  if (roleValues.length === 0) throw new Error(`no Role attribute; received ${[...attributes.keys()].join(', ') || 'none'}`);

  return {
    id: expectedId,
    issuer: text(onlyChild(assertion, NS.assertion, 'Issuer')),
    subject: text(nameId),
    subjectType: (nameId.getAttribute('Format') || 'unspecified').replace(NAME_ID_FORMAT_PREFIX, ''),
    recipient: confirmationData.getAttribute('Recipient') ?? '',
    issueInstant: required(timeAttribute(assertion, 'IssueInstant'), 'Assertion@IssueInstant'),
    notBefore: latest(timeAttribute(conditions, 'NotBefore'), timeAttribute(confirmationData, 'NotBefore')),
    notOnOrAfter: Math.min(confirmationEnd, conditionsEnd),
    audienceRestrictions: children(conditions, NS.assertion, 'AudienceRestriction').map((r) =>
      children(r, NS.assertion, 'Audience').map(text),
    ),
    sessionNotOnOrAfter: timeAttribute(authn, 'SessionNotOnOrAfter'),
    roles: roleValues.map(parseRolePair),
    roleSessionName: sessionNames[0]!,
    sessionDuration: durations[0],
  };
}

/**
 * `acs:ram::<uid>:role/<r>,acs:ram::<uid>:saml-provider/<p>`, in either order (saml2alibabacloud
 * accepts both), both in the same account.
 */
export function parseRolePair(value: string): RolePair {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length === 2) {
    const [a, b] = parts as [string, string];
    const [roleArn, providerArn] = parseRoleArn(a) ? [a, b] : [b, a];
    const role = parseRoleArn(roleArn);
    const provider = parseProviderArn(providerArn, 'saml-provider');
    if (role && provider && role.accountId === provider.accountId) return { roleArn, providerArn };
  }
  throw new Error(`Role value "${value}" is not a role ARN and a saml-provider ARN of one account`);
}

function readAttributes(assertion: Element): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    for (const attribute of children(statement, NS.assertion, 'Attribute')) {
      const name = attribute.getAttribute('Name') ?? '';
      const values = children(attribute, NS.assertion, 'AttributeValue').map(text);
      out.set(name, [...(out.get(name) ?? []), ...values]);
    }
  }
  return out;
}

function required(value: number | undefined, what: string): number {
  if (value === undefined) throw new Error(`${what} is missing`);
  return value;
}

function latest(...times: (number | undefined)[]): number | undefined {
  const present = times.filter((t): t is number => t !== undefined);
  return present.length > 0 ? Math.max(...present) : undefined;
}
