import { DEFAULT_ALIYUN_REGION } from '../../wire/aliyun-profile.js';
import { withFileLock } from './lock.js';
import type { ClientPaths } from './paths.cjs';
import { readJsonFile, writeJsonFile } from './secure-file.js';

/** A profile of `~/.aliyun/config.json`; fields this tool does not know are kept as they are. */
export interface AliyunProfile {
  name: string;
  mode?: string;
  region_id?: string;
  [field: string]: unknown;
}

export interface AliyunConfig {
  current?: string;
  profiles?: AliyunProfile[];
  [field: string]: unknown;
}

/** The aliyun CLI refuses a profile without a region; its own default when it has to pick one. */
export const FALLBACK_REGION = DEFAULT_ALIYUN_REGION;

/**
 * Where the profiles rambridge writes keep their keys: `StsToken` the keys themselves, `External`
 * the command that fetches them. A profile changing from one mode to the other loses the other's,
 * so no live key outlives the switch to `External` (nor a stale command the switch back).
 */
const CREDENTIAL_FIELDS = ['access_key_id', 'access_key_secret', 'sts_token', 'sts_expiration', 'process_command'] as const;

/**
 * Adds or updates one profile and leaves everything else — other profiles, their order, `current`,
 * unknown fields, the profile's own settings such as `output_format` — exactly as it was.
 * The region: `region` if given, else the profile's own, else the current profile's, else the fallback.
 */
export function upsertProfile(config: AliyunConfig | undefined, profile: AliyunProfile, region?: string): AliyunConfig {
  const profiles = config?.profiles ?? [];
  const existing = profiles.find((p) => p.name === profile.name);
  const currentRegion = profiles.find((p) => p.name === config?.current)?.region_id;
  const kept = existing && existing.mode !== profile.mode ? withoutCredentials(existing) : existing;
  const merged: AliyunProfile = { ...kept, ...profile, region_id: region ?? existing?.region_id ?? currentRegion ?? FALLBACK_REGION };
  return {
    ...config,
    // `current` is never set here, not even in a new file: the aliyun CLI's default profile is the
    // user's choice (`withCurrent`), and `aliyun --profile NAME` works without it.
    profiles: existing ? profiles.map((p) => (p === existing ? merged : p)) : [...profiles, merged],
    meta_path: config?.meta_path ?? '',
  };
}

function withoutCredentials(profile: AliyunProfile): AliyunProfile {
  const rest: AliyunProfile = { ...profile };
  for (const field of CREDENTIAL_FIELDS) delete rest[field];
  return rest;
}

/**
 * The config with the keys of the `StsToken` profiles holding one of `accessKeyIds` blanked (as
 * the aliyun CLI leaves a field it does not use), and their names; the same config when there are
 * none. The profiles themselves, their region and settings, stay: `creds --format aliyun-profile`
 * fills them again after the next login.
 */
export function withoutKeys(
  config: AliyunConfig | undefined,
  accessKeyIds: ReadonlySet<string>,
): { config: AliyunConfig | undefined; names: string[] } {
  const names: string[] = [];
  const profiles = config?.profiles?.map((p) => {
    if (p.mode !== 'StsToken' || typeof p.access_key_id !== 'string' || !accessKeyIds.has(p.access_key_id)) return p;
    names.push(p.name);
    return { ...p, access_key_id: '', access_key_secret: '', sts_token: '', sts_expiration: 0 };
  });
  return { config: names.length > 0 ? { ...config, profiles } : config, names };
}

/** The config with `name` as the aliyun CLI's default profile (it must be one of its profiles). */
export function withCurrent(config: AliyunConfig, name: string): AliyunConfig {
  if (!config.profiles?.some((p) => p.name === name)) throw new TypeError(`no profile named ${name}`);
  return { ...config, current: name };
}

/** `upsertProfile` for several profiles at once. */
export function upsertProfiles(
  config: AliyunConfig | undefined,
  profiles: readonly [AliyunProfile, ...AliyunProfile[]],
  region?: string,
): AliyunConfig {
  const [first, ...rest] = profiles;
  return rest.reduce((c, p) => upsertProfile(c, p, region), upsertProfile(config, first, region));
}

/**
 * Reads, changes and atomically rewrites the config file (0600, tab-indented like the aliyun CLI
 * writes it); a change that returns the config as it was given writes nothing (nor creates it). Under a lock of the client directory, read included: two rambridge processes (a
 * script writing a profile per role in parallel) would otherwise each write back the file they
 * read, and one profile would be lost. The aliyun CLI's own writes take no lock of ours.
 */
export async function updateAliyunConfig(
  paths: Pick<ClientPaths, 'aliyunConfig' | 'aliyunConfigLock'>,
  change: (config: AliyunConfig | undefined) => AliyunConfig | undefined,
): Promise<void> {
  await withFileLock(paths.aliyunConfigLock, async () => {
    const current = await readJsonFile<AliyunConfig>(paths.aliyunConfig);
    const next = change(current);
    if (next !== current) await writeJsonFile(paths.aliyunConfig, next, { indent: '\t', dirMode: 0o755 });
  });
}

/**
 * The region the aliyun CLI would take from its profile (the one `ALIBABA_CLOUD_PROFILE` or its
 * spellings name, else `current`), when the environment sets none itself; `undefined` otherwise.
 */
export async function profileRegion(path: string, env: NodeJS.ProcessEnv, regionNames: readonly string[]): Promise<string | undefined> {
  if (regionNames.some((name) => env[name])) return undefined;
  const config = await readJsonFile<AliyunConfig>(path).catch(() => undefined);
  const name = env.ALIBABA_CLOUD_PROFILE || env.ALIBABACLOUD_PROFILE || env.ALICLOUD_PROFILE || config?.current;
  const profiles = Array.isArray(config?.profiles) ? config.profiles : [];
  const region = profiles.find((p) => p?.name === name)?.region_id;
  return typeof region === 'string' && region !== '' ? region : undefined;
}
