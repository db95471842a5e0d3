import { printable } from '../../../src/cli/client/printable.js';

/**
 * Text from a hostile or compromised bridge (or from any program on this machine, for the
 * credential server) reaches the terminal shown, never acted on: no escape sequence, no bidi control.
 */

describe('printable', () => {
  test('bidi marks and the Arabic letter mark are replaced like the overrides and isolates (the server’s cleanClientText set)', () => {
    for (const bidi of ['\u200e', '\u200f', '\u061c', '\u202a', '\u202e', '\u2066', '\u2069']) {
      expect(printable(`prod${bidi}-ops`)).toBe('prod\uFFFD-ops');
    }
    expect(printable('tab\tand\nnewline stay; 中文 too')).toBe('tab\tand\nnewline stay; 中文 too');
  });
});
