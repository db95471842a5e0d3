import { answer, expectRefused, postToAcs, samlBridge, startSamlLogin, type SamlBridge } from '../../helpers/saml-bridge.js';
import { sign, signBoth } from '../../helpers/saml-response.js';
import { VICTIM, wrap, XSW } from '../../helpers/saml-xsw.js';

/**
 * IdPs sign differently by default: Okta the Response and the Assertion, Entra ID and SimpleSAMLphp
 * only the Assertion. `requireSigned` (from the preset, or set per IdP) says which signature must
 * be there; any signature that is there must verify; the identity is read only from XML a verified
 * signature covers, so signature wrapping stays refused on every single-signature base.
 */
type Signing = 'both' | 'assertion' | 'response' | 'none';

function signed(bridge: SamlBridge, requestId: string, signing: Signing): string {
  const xml = answer(bridge, requestId);
  if (signing === 'both') return signBoth(xml, bridge.idpKeys);
  if (signing === 'assertion') return sign(xml, bridge.idpKeys, 'Assertion');
  if (signing === 'response') return sign(xml, bridge.idpKeys, 'Response');
  return xml;
}

/** The log line of the refusal, parsed. */
function refusalDetail(bridge: SamlBridge): Record<string, unknown> | undefined {
  const lines = bridge.logLines.map((l) => JSON.parse(l) as { audit?: boolean; code?: string; detail?: Record<string, unknown> });
  // The refusal's log line, not its audit record (which names the code only).
  return lines.filter((l) => !l.audit && l.code?.startsWith('ERR_SAML_')).at(-1)?.detail;
}

async function post(bridge: SamlBridge, build: (requestId: string) => string) {
  const browser = bridge.agent();
  const { requestId } = await startSamlLogin(browser);
  return { browser, res: await postToAcs(browser, build(requestId)) };
}

describe('presets match each IdP’s default signing', () => {
  test.each([
    ['okta', 'both'],
    ['entra', 'assertion'],
    ['generic', 'assertion'],
  ])('%s requires %s', async (preset, required) => {
    expect((await samlBridge({ preset })).idp.requireSigned).toBe(required);
  });

  test('requireSigned in the file overrides the preset', async () => {
    expect((await samlBridge({ preset: 'entra', requireSigned: 'both' })).idp.requireSigned).toBe('both');
  });
});

describe('single-signature IdPs sign in with their preset as it is', () => {
  const ENTRA = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
  const ENTRA_GROUPS = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups';

  test('Entra ID’s default, "Sign SAML assertion" (Response unsigned), with preset entra', async () => {
    const bridge = await samlBridge({ preset: 'entra' });
    const { res } = await post(bridge, (id) =>
      sign(
        answer(bridge, id, { attributes: { [ENTRA]: ['alice@example.com'], [ENTRA_GROUPS]: ['rambridge-dev'] } }),
        bridge.idpKeys,
        'Assertion',
      ),
    );
    expect(res.headers.location).toBe('/roles');
  });

  test('SimpleSAMLphp’s default (Assertion signed, Response unsigned), with the generic preset', async () => {
    const bridge = await samlBridge();
    const { res } = await post(bridge, (id) => sign(answer(bridge, id), bridge.idpKeys, 'Assertion'));
    expect(res.headers.location).toBe('/roles');
  });

  test('Okta’s preset still wants both: an answer with only the Assertion signed is refused', async () => {
    const bridge = await samlBridge({ preset: 'okta', attributes: { email: 'email', groups: ['groups'] } });
    const { browser, res } = await post(bridge, (id) => sign(answer(bridge, id), bridge.idpKeys, 'Assertion'));
    await expectRefused(browser, res, 'ERR_SAML_SIGNATURE_INVALID');
  });
});

describe('which single signature suffices', () => {
  const matrix: Array<[string, Signing, 'signed in' | string[]]> = [
    ['both', 'both', 'signed in'],
    ['both', 'assertion', ['Response']],
    ['both', 'response', ['Assertion']],
    ['both', 'none', ['Response', 'Assertion']],
    ['assertion', 'both', 'signed in'],
    ['assertion', 'assertion', 'signed in'],
    ['assertion', 'response', ['Assertion']],
    ['assertion', 'none', ['Assertion']],
    ['response', 'both', 'signed in'],
    ['response', 'response', 'signed in'],
    ['response', 'assertion', ['Response']],
    ['response', 'none', ['Response']],
  ];
  test.each(matrix)('requireSigned %s, IdP signs %s → %j', async (requireSigned, signing, outcome) => {
    const bridge = await samlBridge({ requireSigned });
    const { browser, res } = await post(bridge, (id) => signed(bridge, id, signing));
    if (outcome === 'signed in') {
      expect(res.headers.location).toBe('/roles');
      await browser.get('/roles').expect(200);
    } else {
      await expectRefused(browser, res, 'ERR_SAML_SIGNATURE_INVALID');
      // The log says which signature was missing.
      expect(refusalDetail(bridge)).toMatchObject({ missing: outcome, requireSigned });
    }
  });
});

describe('a signature that is present must verify, even when it is not required', () => {
  test('requireSigned assertion: a broken Response signature is refused, and logged as the Response’s', async () => {
    const bridge = await samlBridge({ requireSigned: 'assertion' });
    // Both signed, then the Response's own IssueInstant (the first in the document) moved a second:
    // the Response signature no longer verifies, the Assertion's still does.
    const { browser, res } = await post(bridge, (id) =>
      signBoth(answer(bridge, id), bridge.idpKeys).replace(
        /IssueInstant="([^"]+)"/,
        (_m, at: string) => `IssueInstant="${new Date(Date.parse(at) + 1000).toISOString()}"`,
      ),
    );
    await expectRefused(browser, res, 'ERR_SAML_SIGNATURE_INVALID');
    expect(refusalDetail(bridge)).toMatchObject({ badSignature: 'Response' });
  });

  test('requireSigned response: a broken Assertion signature inside a valid Response signature is refused', async () => {
    const bridge = await samlBridge({ requireSigned: 'response' });
    const { browser, res } = await post(bridge, (id) => {
      // Assertion signed, then edited, then the whole Response signed over the edit.
      const edited = sign(answer(bridge, id), bridge.idpKeys, 'Assertion').replace('>rambridge-dev<', '>rambridge-admins<');
      return sign(edited, bridge.idpKeys, 'Response');
    });
    await expectRefused(browser, res, 'ERR_SAML_SIGNATURE_INVALID');
    expect(refusalDetail(bridge)).toMatchObject({ badSignature: 'Assertion' });
  });
});

/**
 * XSW1–2 rewrap a Response signature, XSW6 and XSW8 an Assertion signature: on a base carrying only
 * the other signature there is nothing for them to rewrap. Every permutation that applies to a base
 * is run against it.
 */
describe('signature wrapping on single-signature bases', () => {
  const bases: Array<[Signing & ('assertion' | 'response'), string[]]> = [
    ['assertion', ['XSW3', 'XSW4', 'XSW5', 'XSW6', 'XSW7', 'XSW8', 'second unsigned assertion']],
    ['response', ['XSW1', 'XSW2', 'XSW3', 'XSW4', 'XSW5', 'XSW7', 'second unsigned assertion']],
  ];
  const cases = bases.flatMap(([base, names]) => names.map((name) => [base, name] as const));
  test.each(cases)('only the %s signed (requireSigned alike): %s is refused', async (base, name) => {
    const bridge = await samlBridge({ requireSigned: base });
    const { browser, res } = await post(bridge, (id) => wrap(signed(bridge, id, base), XSW[name]!));
    await expectRefused(browser, res, 'ERR_SAML_SIGNATURE_INVALID');
    expect(bridge.logLines.join('')).not.toContain(`"subject":"${VICTIM}"`);
  });
});
