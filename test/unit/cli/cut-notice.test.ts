import type { ObtainedCredentials } from '../../../src/cli/client/credential-source.js';
import { cutNotice } from '../../../src/cli/client/cut-notice.js';
import { useLanguage } from '../../../src/cli/i18n/index.js';

const SERVER = 'https://rb.example';

/** New credentials asked for `requested` seconds that the server granted `granted` of. */
function cut(requested: number, granted: number): ObtainedCredentials {
  return { durationSeconds: requested, fromCache: false, credentials: { durationSeconds: granted } } as unknown as ObtainedCredentials;
}

beforeEach(() => useLanguage('en'));
afterAll(() => useLanguage('en'));

test('lengths that differ to the minute are said as people read them', () => {
  expect(cutNotice(cut(3600, 2400), SERVER)).toBe(
    `Credentials for 40 min, not 1 h: your rambridge session ends in 40 min. For longer ones: rambridge login --server ${SERVER}`,
  );
});

test('lengths that read the same to the minute are written to the second, never “15 min, not 15 min”', () => {
  // -d 930 (or -d 15m30s) with 910 s of the session left; -d 3630 with 3610 s left.
  expect(cutNotice(cut(930, 910), SERVER)).toMatch(/^Credentials for 15m10s, not 15m30s: your rambridge session ends in 15 min\. /);
  expect(cutNotice(cut(3630, 3610), SERVER)).toMatch(/^Credentials for 1h10s, not 1h30s: /);
  useLanguage('zh-CN');
  expect(cutNotice(cut(930, 910), SERVER)).toMatch(/^凭证有效期为 15m10s，而非 15m30s：/);
});

test('nothing when not cut, or served from the cache', () => {
  expect(cutNotice(cut(930, 930), SERVER)).toBeUndefined();
  expect(cutNotice({ ...cut(930, 910), fromCache: true }, SERVER)).toBeUndefined();
});
