import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const documents = [
  'README.md',
  'SECURITY.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The relative targets of Markdown links and images in a document (no URLs, no in-page anchors). */
function relativeLinks(document: string): string[] {
  const text = readFileSync(join(root, document), 'utf8');
  return [...text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/i.test(target));
}

test.each(documents)('every picture and file %s links to is in the repository', (document) => {
  const missing = relativeLinks(document).filter((target) => !existsSync(resolve(dirname(join(root, document)), target)));
  expect(missing).toEqual([]);
});

test('the README shows the picker and the device approval', () => {
  expect(relativeLinks('README.md')).toEqual(expect.arrayContaining(['docs/images/picker.png', 'docs/images/device-approval.png']));
});
