import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateKeyFiles } from '../issuer/generate-keys.js';

export interface DemoKeys {
  samlKey: string;
  samlCertificate: string;
  oidcKey: string;
  subjectSecret: string;
}

/**
 * The demo's issuer keys, generated on first start into a git-ignored data directory and reused
 * afterwards, so the emulator's trust (and users' pseudonyms) survive a restart.
 */
export async function ensureDemoKeys(dir: string): Promise<DemoKeys> {
  const manifest = join(dir, 'keys.json');
  try {
    return JSON.parse(await readFile(manifest, 'utf8')) as DemoKeys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const saml = await generateKeyFiles({ dir, purpose: 'saml', commonName: 'rambridge demo SAML IdP' });
  const oidc = await generateKeyFiles({ dir, purpose: 'oidc' });
  const keys: DemoKeys = {
    samlKey: saml.privateKey,
    samlCertificate: saml.certificate!,
    oidcKey: oidc.privateKey,
    subjectSecret: randomBytes(32).toString('base64url'),
  };
  await writeFile(manifest, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}
