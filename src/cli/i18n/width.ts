/** Columns a string takes on a terminal: CJK characters and full-width punctuation take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

/** Labels padded to one column, plus two spaces, so the values after them line up in any language. */
export function alignLabels(...labels: string[]): string[] {
  const width = Math.max(...labels.map(displayWidth)) + 2;
  return labels.map((label) => label + ' '.repeat(width - displayWidth(label)));
}
