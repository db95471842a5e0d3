import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/**
 * The SAML stack at versions with the known signature bypasses and parser DoS fixed (docs/security-reference.md
 * §1.1): node-saml ≥ 5.1.0 (CVE-2025-54419/54369), xml-crypto ≥ 6.1.2 (getSignedReferences;
 * CVE-2025-29774/29775), and every xmldom copy they load ≥ 0.8.15 (forced through `overrides`).
 * Resolved the way Node resolves them at run time, so a nested older copy is caught too.
 */
function packageOf(name: string, from: string): { version: string; dir: string } {
  const file = createRequire(from).resolve(`${name}/package.json`);
  return { version: (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version, dir: `${dirname(file)}/` };
}

function atLeast(version: string, minimum: string): boolean {
  const [a, b] = [version, minimum].map((v) => v.split(/[.-]/).slice(0, 3).map(Number));
  for (let i = 0; i < 3; i++) if (a![i] !== b![i]) return a![i]! > b![i]!;
  return true;
}

describe('SAML dependencies', () => {
  const nodeSaml = packageOf('@node-saml/node-saml', import.meta.url);
  const xmlCrypto = packageOf('xml-crypto', nodeSaml.dir);
  const xmlEncryption = packageOf('xml-encryption', nodeSaml.dir);

  test('node-saml ≥ 5.1.0 and the xml-crypto it loads ≥ 6.1.2', () => {
    expect(atLeast(nodeSaml.version, '5.1.0')).toBe(true);
    expect(atLeast(xmlCrypto.version, '6.1.2')).toBe(true);
  });

  test.each([
    ['node-saml', nodeSaml.dir],
    ['xml-crypto', xmlCrypto.dir],
    ['xml-encryption', xmlEncryption.dir],
  ])('the @xmldom/xmldom that %s loads is ≥ 0.8.15', (_name, dir) => {
    expect(atLeast(packageOf('@xmldom/xmldom', dir).version, '0.8.15')).toBe(true);
  });
});

describe('web stack', () => {
  // Koa < 3.0.3 has open-redirect and XSS fixes missing (CVE-2025-8129, CVE-2025-62595, CVE-2025-32379).
  test('koa ≥ 3.0.3', () => {
    expect(atLeast(packageOf('koa', import.meta.url).version, '3.0.3')).toBe(true);
  });
});
