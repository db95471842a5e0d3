import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { unreadableBecause } from './file-values.js';
import { ConfigInvalid, formatPath, type ConfigProblem } from './problems.js';
import { isMappingPath, validateConfig, validateMapping, type MappingConfig } from './validate.js';
import type { BridgeConfig } from './model.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** What a validator makes of an expanded document: the typed configuration, or every problem. */
export type Validated<T> = { ok: true; config: T } | { ok: false; problems: ConfigProblem[] };

/** Reads, expands and validates the bridge's YAML config file. Throws ConfigInvalid with every problem. */
export function loadConfigFile(file: string, env: Env): Promise<BridgeConfig> {
  return loadYamlConfig(file, env, validateConfig);
}

/**
 * Only the accounts, roles and grants of the bridge's config file (`rambridge explain`): a `${VAR}`
 * unset outside them (the production secrets) is no problem here; inside them it still is.
 */
export function loadMappingFile(file: string, env: Env): Promise<MappingConfig> {
  return loadYamlConfig(file, env, validateMapping, isMappingPath);
}

/** The bridge's config from YAML text; `source` names it in the error. */
export function parseConfigText(text: string, env: Env, source = 'config'): BridgeConfig {
  return parseYamlConfig(text, env, validateConfig, source);
}

/**
 * The one way rambridge loads a YAML configuration (the bridge's and the emulator's): read the file,
 * parse it (duplicate keys are errors), expand `${VAR}` / `${VAR:-default}` in string values, then
 * validate; every problem is reported at once with its path. Throws ConfigInvalid.
 */
export async function loadYamlConfig<T>(
  file: string,
  env: Env,
  validate: (value: unknown) => Validated<T>,
  envMatters: (path: string) => boolean = () => true,
): Promise<T> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigInvalid(file, [{ path: '(file)', message: `cannot read: ${unreadableBecause(err)}` }]);
  }
  return parseYamlConfig(text, env, validate, file, envMatters);
}

/**
 * The document as data. Aliases are resolved here, so an alias without its anchor, so many that
 * they would multiply the document (an alias bomb, which `yaml` refuses), or one inside the node it
 * names (which `yaml` turns into a cycle) fail here: a problem with the file like any other, not a
 * crash.
 */
function toData(doc: ReturnType<typeof parseDocument>, source: string): unknown {
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (err) {
    throw new ConfigInvalid(source, [{ path: '(file)', message: (err as Error).message.split('\n')[0]! }]);
  }
  if (containsItself(data, new Set())) {
    throw new ConfigInvalid(source, [{ path: '(file)', message: 'an alias refers to the node that contains it' }]);
  }
  return data;
}

function containsItself(value: unknown, enclosing: Set<object>): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (enclosing.has(value)) return true;
  enclosing.add(value);
  const found = Object.values(value).some((child) => containsItself(child, enclosing));
  enclosing.delete(value);
  return found;
}

/** `loadYamlConfig` for text in hand; `source` names it in the error. */
export function parseYamlConfig<T>(
  text: string,
  env: Env,
  validate: (value: unknown) => Validated<T>,
  source: string,
  /** Which paths a missing variable is a problem at (all, but for a validator that reads only a part). */
  envMatters: (path: string) => boolean = () => true,
): T {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigInvalid(
      source,
      doc.errors.map((e) => ({ path: `(line ${e.linePos?.[0]?.line ?? '?'})`, message: e.message.split('\n')[0]! })),
    );
  }
  const allEnvProblems: ConfigProblem[] = [];
  const expanded = expandEnv(toData(doc, source), env, [], allEnvProblems);
  const envProblems = allEnvProblems.filter((p) => envMatters(p.path));
  const result = validate(expanded);
  if (result.ok && envProblems.length === 0) return result.config;
  // A missing variable already explains why the value at its path is empty or invalid.
  const unset = new Set(envProblems.map((p) => p.path));
  const rest = result.ok ? [] : result.problems.filter((p) => !unset.has(p.path));
  throw new ConfigInvalid(source, [...envProblems, ...rest]);
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
