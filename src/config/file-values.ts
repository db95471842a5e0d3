import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ConfigInvalid, type ConfigProblem } from './problems.js';

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
    case 'EROFS':
      return 'read-only file system';
    default:
      return code ?? String(err);
  }
}

/** Whether a config value is PEM text itself (as `${ENV}` hands it over) rather than a file path. */
export function isPemText(value: string): boolean {
  return value.includes('-----BEGIN ');
}

/**
 * A config value that is PEM text or else the path of a file holding it: the text. A file that does
 * not read is a ConfigInvalid at `path` that names the value only as fileValueForMessage allows and
 * the reason in words, never Node's message (it repeats the value, which may be a key).
 */
export async function readPemOrFile(value: string, path: string): Promise<string> {
  if (isPemText(value)) return value;
  try {
    return await readFile(value, 'utf8');
  } catch (err) {
    throw cannotRead(value, path, err);
  }
}

/** readPemOrFile for callers that must stay synchronous (a connector or connection being built). */
export function readPemOrFileSync(value: string, path: string): string {
  if (isPemText(value)) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (err) {
    throw cannotRead(value, path, err);
  }
}

/** The problem of a file named at `path` that could not be read. */
export function cannotReadProblem(file: string, path: string, err: unknown): ConfigProblem {
  return { path, message: `cannot read ${fileValueForMessage(file)}: ${unreadableBecause(err)}` };
}

function cannotRead(file: string, path: string, err: unknown): ConfigInvalid {
  return new ConfigInvalid('config', [cannotReadProblem(file, path, err)]);
}
