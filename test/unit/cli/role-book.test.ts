import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clientPaths } from '../../../src/cli/client/paths.cjs';
import { RoleBook } from '../../../src/cli/client/role-book.js';

const server = 'https://bridge.example.com';
let home: string;
beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'rambridge-role-book-'))));
afterEach(() => rmSync(home, { recursive: true, force: true }));

test('changes made at once (rambridge fav beside the uses the aliyun CLI records) all land in roles.json', async () => {
  const paths = clientPaths({ HOME: home });
  const favourites = (async () => {
    for (let i = 0; i < 20; i++) await new RoleBook(paths).setFavourite(server, `fav-${i}`, true);
  })();
  const uses = (async () => {
    for (let i = 0; i < 60; i++) await new RoleBook(paths).recordUse(server, `role-${i % 3}`, 1_000 + i);
  })();
  await Promise.all([favourites, uses]);
  const book = await new RoleBook(paths).get(server);
  expect(book.favourites).toHaveLength(20);
  expect(book.recents[0]).toEqual({ role: 'role-2', usedAt: 1_059 });
});

test('a role book it cannot lock (a leftover lock whose pid is alive) costs a use its record, not the command: no error, within seconds', async () => {
  const paths = clientPaths({ HOME: home });
  await new RoleBook(paths).setFavourite(server, 'dev', true); // creates the directory
  writeFileSync(paths.rolesLock, `${process.pid} leftover`, { mode: 0o600 });
  const started = Date.now();
  await expect(new RoleBook(paths).recordUse(server, 'dev', 1)).resolves.toBeUndefined();
  expect(Date.now() - started).toBeLessThan(5_000);
}, 20_000);
