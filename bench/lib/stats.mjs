// Small statistics for the report: every figure is the median of several runs, with its spread.

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median and spread (min–max) of a list of numbers, plus the raw runs for results.json. */
export function summarize(values) {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), runs: values };
}

/** A number for a table: 3 significant digits, thousands separated. */
export function fmt(value, digits = 3) {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(digits)).toString();
}

/** "median (min–max)". */
export function fmtSpread(s, unit = '', digits = 3) {
  if (s.runs.length === 1) return `${fmt(s.median, digits)}${unit}`;
  return `${fmt(s.median, digits)}${unit} (${fmt(s.min, digits)}–${fmt(s.max, digits)})`;
}
