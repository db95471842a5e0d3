import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigInvalid, loadMappingFile } from '../../../src/config/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/config/${name}`, import.meta.url));

async function problemsOf(load: Promise<unknown>): Promise<string[]> {
  try {
    await load;
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  throw new Error('expected the mapping to be invalid');
}

test('the mapping of a production file loads without its secrets, roles resolved as the bridge resolves them', async () => {
  const mapping = await loadMappingFile(fixture('valid.yaml'), {});
  expect(mapping.roles[0]).toMatchObject({ arn: 'acs:ram::1111222233334444:role/admin', roleName: 'admin' });
  expect(mapping.grants.length).toBeGreaterThan(0);
});

test('a ${VAR} unset inside the mapping is still a problem; the rest of the file is not read', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rambridge-mapping-'));
  const file = join(dir, 'c.yaml');
  await writeFile(
    file,
    [
      'server: {colour: red}',
      'accounts: [{alias: dev, id: "${DEV_ACCOUNT}"}]',
      'roles: [{id: dev-admin, account: dev, role: admin, via: saml}]',
      'grants: [{groups: [g], roles: [dev-admin]}]',
      '',
    ].join('\n'),
  );
  const problems = await problemsOf(loadMappingFile(file, {}));
  expect(problems).toContain('accounts[0].id: environment variable DEV_ACCOUNT is not set');
  expect(problems.filter((p) => !/^(accounts|roles|grants)\b/.test(p))).toEqual([]);
  const mapping = await loadMappingFile(file, { DEV_ACCOUNT: '1111222233334444' });
  expect(mapping.roles[0]).toMatchObject({ accountId: '1111222233334444' });
});
