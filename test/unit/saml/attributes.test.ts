import type { Profile } from '@node-saml/node-saml';
import { samlIdpSchema } from '../../../src/config/saml.js';
import { resolveSamlIdp } from '../../../src/config/validate.js';
import { isBridgeError } from '../../../src/errors.js';
import { amrFromReferences } from '../../../src/idp/saml/amr.js';
import { identityFromProfile } from '../../../src/idp/saml/attributes.js';
import type { CheckedAssertion } from '../../../src/idp/saml/assertion-checks.js';

/** Attribute mapping per preset, from node-saml's profile of the signed assertion. */
const EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const PERSISTENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent';
const ENTRA = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';
const checked: CheckedAssertion = { id: '_a', acceptableUntil: 0, authnInstant: 1_767_268_800_000, authnContextClassRefs: [] };

const idp = (raw: Record<string, unknown>) =>
  resolveSamlIdp(
    samlIdpSchema.parse({ id: 'corp', type: 'saml', entryPoint: 'https://idp/sso', issuer: 'https://idp', certificates: ['c'], ...raw }),
    'https://b',
  );
const profile = (p: Partial<Profile>): Profile => ({ issuer: 'https://idp', nameID: 'alice@example.com', nameIDFormat: EMAIL, ...p });

function refusal(fn: () => unknown): { code?: string; userMessage?: string; detail?: unknown } {
  try {
    fn();
  } catch (err) {
    if (isBridgeError(err)) return { code: err.code, userMessage: err.userMessage, detail: err.detail };
    throw err;
  }
  return {};
}

describe('identityFromProfile', () => {
  test('groups named like Object members stay strings: groupNames is looked up by own key only', () => {
    const entra = idp({ preset: 'entra', groupNames: { '0b1e-ops': 'rambridge-ops' } });
    const names = ['constructor', '__proto__', 'toString', 'hasOwnProperty', '0b1e-ops'];
    const identity = identityFromProfile(entra, 'https://sts.windows.net/t/', profile({ attributes: { [ENTRA]: names } }), checked);
    expect(identity.groups).toEqual(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'rambridge-ops']);
  });

  test('an authentication reference named like an Object member gives no amr', () => {
    expect(amrFromReferences(['constructor', 'toString', '__proto__'])).toEqual([]);
  });

  test('Okta: email NameID, groups, name from firstName + lastName, keyed on (entityID, NameID)', () => {
    const identity = identityFromProfile(
      idp({ preset: 'okta' }),
      'https://idp',
      profile({ attributes: { groups: ['a', 'b'], firstName: 'Alice', lastName: 'Example' } }),
      checked,
    );
    expect(identity).toEqual({
      idp: 'corp',
      issuer: 'https://idp',
      subject: 'alice@example.com',
      email: 'alice@example.com',
      name: 'Alice Example',
      groups: ['a', 'b'],
      amr: [],
      authTime: 1_767_268_800,
    });
  });

  test('Entra: group object ids renamed through groupNames, unknown ids kept; display name; MFA from authnmethodsreferences', () => {
    const entra = idp({ preset: 'entra', groupNames: { '0b1e-ops': 'rambridge-ops' } });
    const identity = identityFromProfile(
      entra,
      'https://sts.windows.net/t/',
      profile({
        attributes: {
          [ENTRA]: ['0b1e-ops', '77aa-unknown'],
          'http://schemas.microsoft.com/identity/claims/displayname': 'Alice Example',
          'http://schemas.microsoft.com/claims/authnmethodsreferences': [
            'http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password',
            'http://schemas.microsoft.com/claims/multipleauthn',
          ],
        },
      }),
      checked,
    );
    expect(identity).toMatchObject({
      groups: ['rambridge-ops', '77aa-unknown'],
      name: 'Alice Example',
      amr: ['pwd', 'mfa'],
    });
    // Entra does not verify `mail` (nOAuth): no email unless the config vouches for it.
    expect(identity.email).toBeUndefined();
  });

  test.each([
    ['okta', {}, 'alice@example.com'],
    ['entra', {}, undefined],
    ['generic', {}, undefined],
    ['entra', { emailVerified: true }, 'alice@example.com'],
    ['okta', { emailVerified: false }, undefined],
  ])('preset %s with %j: the email is used only when the IdP vouches for it', (preset, extra, email) => {
    const config = idp({ preset, attributes: { email: 'mail' }, ...extra });
    const identity = identityFromProfile(config, 'https://idp', profile({ attributes: { mail: 'alice@example.com' } }), checked);
    expect(identity.email).toBe(email);
  });

  test('generic: a single delimited value is split, a single value arrives as a string, duplicates collapse', () => {
    const generic = idp({ groupsDelimiter: ',', attributes: { groups: ['groups', 'roles'] }, emailVerified: true });
    const identity = identityFromProfile(
      generic,
      'https://idp',
      profile({ attributes: { email: 'a@example.com', groups: 'dev, ops,,dev', roles: 'ops' } }),
      checked,
    );
    expect(identity.groups).toEqual(['dev', 'ops']);
    expect(identity.email).toBe('a@example.com');
  });

  test('groups sent as several values are taken as they are: never split on the delimiter, never trimmed', () => {
    // A group a user may name at the IdP must not turn into another group: "x,cloud-admins" is
    // one group when the IdP sends each group as its own value, as is "cloud-admins " (trailing space).
    const generic = idp({ groupsDelimiter: ',', emailVerified: true });
    const identity = identityFromProfile(
      generic,
      'https://idp',
      profile({ attributes: { email: 'a@example.com', groups: ['dev', 'x,cloud-admins', 'cloud-admins '] } }),
      checked,
    );
    expect(identity.groups).toEqual(['dev', 'x,cloud-admins', 'cloud-admins ']);
  });

  test('a user without any group attribute has no groups, not an error (mallory)', () => {
    expect(identityFromProfile(idp({}), 'https://idp', profile({ attributes: { email: 'm@example.com' } }), checked).groups).toEqual([]);
  });

  test('authentication context references map to amr; unknown ones map to nothing', () => {
    const refs = [
      'https://refeds.org/profile/mfa',
      'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport',
      'urn:example:unknown',
    ];
    expect(
      identityFromProfile(idp({}), 'https://idp', profile({ attributes: { email: 'a@b' } }), { ...checked, authnContextClassRefs: refs })
        .amr,
    ).toEqual(['mfa', 'pwd']);
  });

  test('the email attribute is required unless the NameID is an email: the page names it, the log lists what came', () => {
    const err = refusal(() =>
      identityFromProfile(
        idp({}),
        'https://idp',
        profile({ nameID: 'u-1', nameIDFormat: PERSISTENT, attributes: { mail: 'x', groups: ['g'] } }),
        checked,
      ),
    );
    expect(err).toEqual({
      code: 'ERR_SAML_ATTRIBUTE_MISSING',
      userMessage: 'Your identity provider did not send the attribute "email" that rambridge needs.',
      detail: { attribute: 'email', received: ['mail', 'groups'] },
    });
  });

  test('Entra groups overage and unusable NameIDs are refused with their codes', () => {
    const overage = profile({ attributes: { 'http://schemas.microsoft.com/claims/groups.link': 'https://graph' } });
    expect(refusal(() => identityFromProfile(idp({ preset: 'entra' }), 'https://idp', overage, checked)).code).toBe(
      'ERR_AUTH_GROUPS_OVERAGE',
    );
    const transient = profile({ nameID: '_x', nameIDFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient' });
    expect(refusal(() => identityFromProfile(idp({}), 'https://idp', transient, checked)).code).toBe('ERR_SAML_NAMEID_UNSUITABLE');
    expect(refusal(() => identityFromProfile(idp({}), 'https://idp', profile({ nameID: ' ' }), checked)).code).toBe(
      'ERR_SAML_NAMEID_UNSUITABLE',
    );
  });
});
