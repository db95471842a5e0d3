/**
 * A small fuzzy matcher for role names: every term of the query must match one of the fields, as
 * a substring (best, more so at a word start) or as a subsequence (`dadm` finds `dev-admin`).
 * Returns a score (higher is better) or `undefined` when a term matches nothing.
 */
export function fuzzyScore(query: string, fields: readonly string[]): number | undefined {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  const haystacks = fields.map((f) => f.toLowerCase());
  let total = 0;
  for (const term of terms) {
    let best: number | undefined;
    for (const text of haystacks) {
      const score = termScore(term, text);
      if (score !== undefined && (best === undefined || score > best)) best = score;
    }
    if (best === undefined) return undefined;
    total += best;
  }
  return total;
}

function termScore(term: string, text: string): number | undefined {
  const at = text.indexOf(term);
  if (at >= 0) {
    const wordStart = at === 0 || !/[a-z0-9]/.test(text[at - 1]!);
    return 100 + (wordStart ? 50 : 0) + (term.length === text.length ? 50 : 0);
  }
  // Subsequence, kept compact: letters scattered over a long description are not a match.
  let gaps = 0;
  let first = -1;
  let last = -1;
  for (const ch of term) {
    const next = text.indexOf(ch, last + 1);
    if (next < 0) return undefined;
    if (first < 0) first = next;
    else if (next > last + 1) gaps += 1;
    last = next;
  }
  if (last - first + 1 > 2 * term.length + 1) return undefined;
  return Math.max(1, 50 - gaps * 5);
}
