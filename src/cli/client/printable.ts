/**
 * C0 and C1 control characters except tab and newline, the line and paragraph separators, and the
 * format characters (\p{Cf}: bidirectional controls, zero-width spaces, the word joiner, BOM, soft
 * hyphen, tag characters) with the blank Hangul fillers (the same set the server's cleanClientText
 * removes; a test keeps them so). From a server (an error description, a role's description, a
 * user's name), an escape sequence would be acted on by the terminal: set the clipboard (OSC 52),
 * erase or rewrite the lines above (hiding the real sign-in host), or fake rambridge's own output;
 * a right-to-left override or mark reorders what is shown, an invisible character hides in it.
 * The zero-width non-joiner and joiner are kept where they join, as the server accepts them in a
 * justification (role-request.ts): between letters (Persian and Indic names) or within an emoji
 * sequence, they are part of what is drawn and can neither move text nor drive the terminal.
 */
const UNPRINTABLE =
  /(?![\t\n\u200c\u200d])[\p{Cc}\p{Cf}\u00ad\u115f\u1160\u2028\u2029\u3164\uffa0\u{e0000}-\u{e007f}]|(?<!\p{L}|\p{M}|\p{Extended_Pictographic}|\p{Emoji_Modifier})[\u200c\u200d]|[\u200c\u200d](?!\p{L}|\p{Extended_Pictographic})/gu;

/** Text for a terminal: each character it would act on rather than show becomes U+FFFD. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD');
}
