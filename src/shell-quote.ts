/**
 * POSIX single-quoting for the `export NAME=…` lines that sh, bash and zsh `eval` (the CLI's `env`
 * format, the credentials page): inside single quotes nothing is special but the quote itself,
 * written as '\''. Safe for any string, and always quoted so every line has the same shape.
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
