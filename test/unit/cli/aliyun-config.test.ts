import { lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  FALLBACK_REGION,
  updateAliyunConfig,
  upsertProfile,
  upsertProfiles,
  withCurrent,
  withoutKeys,
  type AliyunConfig,
} from '../../../src/cli/client/aliyun-config.js';

const personal = {
  name: 'personal',
  mode: 'AK',
  access_key_id: 'LTAI',
  access_key_secret: 's',
  region_id: 'eu-central-1',
  output_format: 'json',
  future_field: [1],
};
const existing: AliyunConfig = { current: 'personal', profiles: [personal], meta_path: '/m', plugins_dir: 'x' };

test('adds a profile: others, current and unknown fields untouched; region from the current profile', () => {
  const next = upsertProfile(existing, { name: 'dev', mode: 'StsToken', access_key_id: 'STS.1' });
  expect(next).toEqual({
    current: 'personal',
    meta_path: '/m',
    plugins_dir: 'x',
    profiles: [personal, { name: 'dev', mode: 'StsToken', access_key_id: 'STS.1', region_id: 'eu-central-1' }],
  });
});

test('updates a profile in place, keeping its own extra fields and region', () => {
  const first = upsertProfile(existing, { name: 'dev', mode: 'StsToken', access_key_id: 'STS.1' }, 'cn-shanghai');
  const withExtra: AliyunConfig = { ...first, profiles: first.profiles!.map((p) => (p.name === 'dev' ? { ...p, language: 'zh' } : p)) };
  const second = upsertProfile(withExtra, { name: 'dev', mode: 'StsToken', access_key_id: 'STS.2' });
  expect(second.profiles).toEqual([
    personal,
    { name: 'dev', mode: 'StsToken', access_key_id: 'STS.2', region_id: 'cn-shanghai', language: 'zh' },
  ]);
});

test("a new file: the profile is added but not made current (that is the user's choice), region falls back", () => {
  expect(upsertProfile(undefined, { name: 'dev', mode: 'StsToken' })).toEqual({
    meta_path: '',
    profiles: [{ name: 'dev', mode: 'StsToken', region_id: FALLBACK_REGION }],
  });
});

test('withCurrent sets the default profile, and only to one that exists', () => {
  expect(withCurrent(existing, 'personal')).toMatchObject({ current: 'personal' });
  expect(withCurrent(upsertProfile(existing, { name: 'dev' }), 'dev')).toMatchObject({ current: 'dev' });
  expect(() => withCurrent(existing, 'nope')).toThrow(TypeError);
});

test('upsertProfiles keeps their order after the existing ones', () => {
  const next = upsertProfiles(existing, [
    { name: 'b', mode: 'External' },
    { name: 'a', mode: 'External' },
  ]);
  expect(next.profiles!.map((p) => p.name)).toEqual(['personal', 'b', 'a']);
});

/** The files `updateAliyunConfig` works with: the config, and its lock in a client directory beside `.aliyun`. */
function at(path: string) {
  return { aliyunConfig: path, aliyunConfigLock: join(dirname(dirname(path)), '.config', 'rambridge', 'aliyun-config.lock') };
}

describe('updateAliyunConfig on disk', () => {
  test('atomic rewrite, mode 0600, tab-indented, no temp file left', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'rambridge-aliyun-')), '.aliyun');
    mkdirSync(dir);
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify(existing), { mode: 0o644 });
    await updateAliyunConfig(at(path), (c) => upsertProfile(c, { name: 'dev', mode: 'StsToken' }));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('\n\t"current": "personal"');
    expect(JSON.parse(text).profiles[0]).toEqual(personal);
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  test('a symlinked config (dotfile managers) is written through, the link kept', async () => {
    const base = mkdtempSync(join(tmpdir(), 'rambridge-aliyun-'));
    const real = join(base, 'dotfiles-config.json');
    writeFileSync(real, JSON.stringify(existing));
    mkdirSync(join(base, '.aliyun'));
    const link = join(base, '.aliyun', 'config.json');
    symlinkSync(real, link);
    await updateAliyunConfig(at(link), (c) => upsertProfile(c, { name: 'dev', mode: 'StsToken' }));
    expect(JSON.parse(readFileSync(real, 'utf8')).profiles).toHaveLength(2);
    expect(readdirSync(join(base, '.aliyun'))).toEqual(['config.json']);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
  });

  test('no file yet: created, with its directory', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'rambridge-aliyun-')), '.aliyun', 'config.json');
    await updateAliyunConfig(at(path), (c) =>
      upsertProfile(c, { name: 'dev', mode: 'External', process_command: 'rambridge creds dev --format process' }),
    );
    const written = JSON.parse(readFileSync(path, 'utf8')) as AliyunConfig;
    expect(written).toMatchObject({ profiles: [{ name: 'dev', mode: 'External' }] });
    expect(written.current).toBeUndefined();
  });

  test('several rambridge processes writing profiles at once: every profile is kept', async () => {
    // A script writing one StsToken profile per role in parallel, or beside configure-aliyun.
    const path = join(mkdtempSync(join(tmpdir(), 'rambridge-aliyun-')), '.aliyun', 'config.json');
    const names = ['rb-dev', 'rb-ops', 'rb-audit', 'rb-billing'];
    await Promise.all(names.map((name) => updateAliyunConfig(at(path), (c) => upsertProfile(c, { name, mode: 'StsToken' }))));
    const written = JSON.parse(readFileSync(path, 'utf8')) as AliyunConfig;
    expect(written.profiles!.map((p) => p.name).sort()).toEqual([...names].sort());
  });
});

test('a profile switched to External loses its keys, and one switched to StsToken its command', () => {
  const sts = {
    name: 'rambridge-dev',
    mode: 'StsToken',
    access_key_id: 'STS.live',
    access_key_secret: 'SECRET',
    sts_token: 'TOKEN',
    sts_expiration: 1,
  };
  let config = upsertProfile(existing, { ...sts, output_format: 'table' });
  config = upsertProfile(config, { name: 'rambridge-dev', mode: 'External', process_command: 'rambridge creds dev --format process' });
  expect(config.profiles![1]).toEqual({
    name: 'rambridge-dev',
    mode: 'External',
    process_command: 'rambridge creds dev --format process',
    region_id: 'eu-central-1',
    output_format: 'table',
  });
  config = upsertProfile(config, sts);
  expect(config.profiles![1]).toEqual({ ...sts, region_id: 'eu-central-1', output_format: 'table' });
  // The same mode again keeps what the update does not name, as before.
  expect(upsertProfile(config, { name: 'rambridge-dev', mode: 'StsToken', access_key_id: 'STS.new' }).profiles![1]).toMatchObject({
    sts_token: 'TOKEN',
  });
});

test('withoutKeys blanks the keys of StsToken profiles holding the ids given, and nothing else', () => {
  const config = upsertProfiles(existing, [
    { name: 'a', mode: 'StsToken', access_key_id: 'STS.1', access_key_secret: 's', sts_token: 't', sts_expiration: 9 },
    { name: 'b', mode: 'StsToken', access_key_id: 'STS.2', access_key_secret: 's', sts_token: 't', sts_expiration: 9 },
  ]);
  const { config: next, names } = withoutKeys(config, new Set(['STS.1', 'LTAI']));
  expect(names).toEqual(['a']);
  expect(next!.profiles).toEqual([
    personal,
    { name: 'a', mode: 'StsToken', access_key_id: '', access_key_secret: '', sts_token: '', sts_expiration: 0, region_id: 'eu-central-1' },
    config.profiles![2],
  ]);
  expect(withoutKeys(config, new Set(['STS.3'])).config).toBe(config);
  expect(withoutKeys(undefined, new Set(['STS.1']))).toEqual({ config: undefined, names: [] });
});
