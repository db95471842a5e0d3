import { describe, expect, it } from '@jest/globals';
import type { Idp } from '../../../src/config/index.js';
import { stillTrusted } from '../../../src/idp/identity.js';

const idps = [
  { id: 'corp', type: 'oidc', issuer: 'https://login.example.com/tenant' },
  { id: 'legacy', type: 'saml' },
] as unknown as Idp[];

describe('stillTrusted: whether a session’s IdP is still configured as it was', () => {
  it('trusts the configured issuer, written the same or as the same URL', () => {
    expect(stillTrusted(idps, { idp: 'corp', issuer: 'https://login.example.com/tenant' })).toBe(true);
    expect(stillTrusted(idps, { idp: 'corp', issuer: 'https://LOGIN.example.com:443/tenant' })).toBe(true);
  });

  it('ends sessions of another issuer under the same id, or of an IdP removed', () => {
    expect(stillTrusted(idps, { idp: 'corp', issuer: 'https://login.example.com/other' })).toBe(false);
    expect(stillTrusted(idps, { idp: 'corp', issuer: 'not a url' })).toBe(false);
    expect(stillTrusted(idps, { idp: 'gone', issuer: 'https://login.example.com/tenant' })).toBe(false);
  });

  it('trusts a SAML IdP without a configured issuer by its id alone', () => {
    expect(stillTrusted(idps, { idp: 'legacy', issuer: 'urn:anything' })).toBe(true);
  });
});
