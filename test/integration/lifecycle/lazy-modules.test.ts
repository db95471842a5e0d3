import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The packages a bridge loads only when it first needs them (issue 11: idle RSS): the Alibaba SDK
 * at the first STS call, ioredis when a Redis store opens, node-saml and its XML stack at the first
 * SAML sign-in. Checked in a fresh Node process on the build, as `rambridge serve` imports it.
 */
function packagesLoadedBy(entry: string): string[] {
  const script = `
    import { createRequire } from 'node:module';
    await import(${JSON.stringify(`${root}dist/${entry}`)});
    const names = Object.keys(createRequire(import.meta.url).cache)
      .map((f) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(f)?.[1])
      .filter(Boolean);
    console.log(JSON.stringify([...new Set(names)]));`;
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })) as string[];
}

describe('heavy modules are loaded on first use', () => {
  test('importing the bridge (main.js, app.js) loads no STS SDK, no ioredis, no node-saml or XML library', () => {
    const loaded = packagesLoadedBy('main.js');
    expect(loaded).toEqual(expect.arrayContaining(['koa'])); // the check sees CommonJS packages at all
    for (const lazy of [
      '@alicloud/openapi-core',
      '@alicloud/sts20150401',
      'ioredis',
      '@node-saml/node-saml',
      'xml-crypto',
      '@xmldom/xmldom',
    ]) {
      expect(loaded).not.toContain(lazy);
    }
  });
});
