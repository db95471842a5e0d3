/**
 * C0 and C1 control characters except tab and newline, the bidirectional controls and the line
 * and paragraph separators (the same set the server's cleanClientText removes; a test keeps them so). From a server (an error description, a role's
 * description, a user's name), an escape sequence would be acted on by the terminal: set the
 * clipboard (OSC 52), erase or rewrite the lines above (hiding the real sign-in host), or fake
 * rambridge's own output; a right-to-left override or mark reorders what is shown.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

/** Text for a terminal: each character it would act on rather than show becomes U+FFFD. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD');
}
