import { safeReturnTo } from '../../../src/web/return-to.js';

describe('safeReturnTo', () => {
  test.each(['/roles', '/roles/dev-admin', '/roles?x=1', '/device', '/device?user_code=BCDF-GHJK'])('keeps %s', (path) => {
    expect(safeReturnTo(path)).toBe(path);
  });

  // oauth2-proxy's open-redirect table and CVE cases (docs/security-reference.md §5), plus paths outside the allow-list.
  test.each([
    '//evil.com',
    '/\\evil.com',
    '/\t/evil.com',
    '/ /evil.com',
    '/\v\\evil.com',
    '/\n/evil.com',
    '/\r\\evil.com',
    '/./\\evil.com',
    '/./../../\\evil.com',
    'https://foo.bar.evil.corp/',
    'http://evil.corp/redirect?rd=foo.bar',
    '/%2F%2Fevil.com',
    '/%5Cevil.com',
    '/%09/evil.com',
    '/roles/../logout',
    '/roles/%2e%2e/admin',
    '/rolesx',
    '/metrics',
    'javascript:alert(1)',
    '',
    '/%E0%A4%A',
  ])('refuses %j', (value) => {
    expect(safeReturnTo(value)).toBe('/roles');
  });

  test('refuses non-strings and very long values', () => {
    expect(safeReturnTo(['/roles', '//evil.com'])).toBe('/roles');
    expect(safeReturnTo(undefined)).toBe('/roles');
    expect(safeReturnTo(`/roles/${'a'.repeat(600)}`)).toBe('/roles');
  });
});
