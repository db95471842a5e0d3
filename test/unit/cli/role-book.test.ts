import { mkdtempSync, rmSync } from 'node:fs';
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
