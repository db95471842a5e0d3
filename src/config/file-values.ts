/**
 * How an error names a config value that is PEM text or else a file path, when it is neither
 * readable file nor PEM. A key that a secrets manager handed over base64-wrapped, or without its
 * PEM header, reads as a "path": repeating it would put the key on stderr and, on a SIGHUP reload,
 * in the log. So the value is named only when it looks like a path: one line, at most 255
 * characters, and not a long run of base64.
 */
export function fileValueForMessage(value: string): string {
  const looksLikePath = /^\S{1,255}$/.test(value) && !/[A-Za-z0-9+/=_-]{64,}/.test(value);
  return looksLikePath ? value : `the value (${value.length} characters: neither PEM text nor a file name)`;
}

/** Why a file could not be read, in words ("no such file"), from Node's error code. */
export function unreadableBecause(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return code ?? String(err);
  }
}
