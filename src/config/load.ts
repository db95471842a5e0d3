import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigInvalid, formatPath, type ConfigProblem } from './problems.js';
import { validateConfig } from './validate.js';
import type { BridgeConfig } from './model.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads, expands and validates one YAML config file. Throws ConfigInvalid with every problem. */
export async function loadConfigFile(file: string, env: Env): Promise<BridgeConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigInvalid(file, [{ path: '(file)', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
  return parseConfigText(text, env, file);
}

export function parseConfigText(text: string, env: Env, source = 'config'): BridgeConfig {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigInvalid(
      source,
      doc.errors.map((e) => ({ path: `(line ${e.linePos?.[0]?.line ?? '?'})`, message: e.message.split('\n')[0]! })),
    );
  }
  const problems: ConfigProblem[] = [];
  const expanded = expandEnv(doc.toJS(), env, [], problems);
  const result = validateConfig(expanded);
  if (!result.ok || problems.length > 0) {
    // A missing variable already explains why the value at its path is empty or invalid.
    const unset = new Set(problems.map((p) => p.path));
    const rest = result.ok ? [] : result.problems.filter((p) => !unset.has(p.path));
    throw new ConfigInvalid(source, [...problems, ...rest]);
  }
  return result.config;
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string value. A missing variable without a
 * default is a problem at that path, so secrets are never silently empty.
 */
export function expandEnv(value: unknown, env: Env, path: PropertyKey[], problems: ConfigProblem[]): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_m, name: string, fallback: string | undefined) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      problems.push({ path: formatPath(path), message: `environment variable ${name} is not set` });
      return '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, [...path, i], problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandEnv(v, env, [...path, k], problems)]));
  }
  return value;
}
