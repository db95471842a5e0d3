/**
 * C0 and C1 control characters except tab and newline, the line and paragraph separators, and the
 * format characters (\p{Cf}: bidirectional controls, zero-width spaces and joiners, BOM, soft hyphen,
 * tag characters) with the blank Hangul fillers (the same set the server's cleanClientText removes;
 * a test keeps them so). From a server (an error description, a role's description, a user's
 * name), an escape sequence would be acted on by the terminal: set the clipboard (OSC 52), erase or
 * rewrite the lines above (hiding the real sign-in host), or fake rambridge's own output; a
 * right-to-left override or mark reorders what is shown, an invisible character hides in it.
 */
const UNPRINTABLE = /(?![\t\n])[\p{Cc}\p{Cf}\u00ad\u115f\u1160\u2028\u2029\u3164\uffa0\u{e0000}-\u{e007f}]/gu;

/** Text for a terminal: each character it would act on rather than show becomes U+FFFD. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD');
}
