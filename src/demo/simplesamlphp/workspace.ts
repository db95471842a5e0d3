import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateKeyFiles } from '../../issuer/generate-keys.js';
import { pemBody } from '../../idp/saml/pem.js';

/** A person who can sign in at the test IdP (the demo's users fit). */
export interface SimpleSamlPhpUser {
  username: string;
  password: string;
  email: string;
  name: string;
  groups: readonly string[];
}

/** The SP SimpleSAMLphp answers: rambridge's endpoints for one SAML IdP entry. */
export interface SimpleSamlPhpSp {
  entityId: string;
  acsUrl: string;
  /** rambridge's SP certificate (PEM), when it signs AuthnRequests. */
  certificatePem?: string;
  /** Encrypt assertions to that certificate. SimpleSAMLphp 1.19 uses AES-128-CBC, which rambridge refuses. */
  encryptAssertions?: boolean;
}

export interface Workspace {
  dir: string;
  configDir: string;
  keyFile: string;
  certificateFile: string;
}

/** The PHP configuration in the repository; each instance runs a copy of it. */
const TEMPLATES = fileURLToPath(new URL('../../../scripts/simplesamlphp/', import.meta.url));

/**
 * A fresh temp dir holding everything one SimpleSAMLphp instance reads and writes: the PHP config
 * copied from scripts/simplesamlphp, a new IdP signing key, sessions, logs. Nothing is written to
 * the repository or to /etc/simplesamlphp.
 */
export async function prepareWorkspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'rambridge-simplesamlphp-'));
  await cp(TEMPLATES, dir, { recursive: true });
  await Promise.all(['log', 'data', 'tmp', 'sessions'].map((d) => mkdir(join(dir, d))));
  const keys = await generateKeyFiles({ dir: join(dir, 'cert'), purpose: 'saml', commonName: 'rambridge test IdP (SimpleSAMLphp)' });
  return { dir, configDir: join(dir, 'config'), keyFile: keys.privateKey, certificateFile: keys.certificate! };
}

/**
 * This run's values, as JSON the PHP config reads on every request (so no value is ever spliced
 * into PHP source). Written once the server listens: its port is part of every URL.
 */
export async function writeSettings(
  ws: Workspace,
  baseUrl: string,
  sp: SimpleSamlPhpSp,
  users: readonly SimpleSamlPhpUser[],
): Promise<void> {
  for (const u of users) {
    if (u.username.includes(':'))
      throw new TypeError(`SimpleSAMLphp user "${u.username}": no ":" in usernames (exampleauth:UserPass splits on it)`);
  }
  const settings = {
    dir: ws.dir,
    baseUrl,
    secretSalt: randomBytes(32).toString('hex'),
    adminPassword: randomBytes(24).toString('base64url'),
    idpKeyFile: ws.keyFile,
    idpCertificateFile: ws.certificateFile,
    sp: {
      entityId: sp.entityId,
      acsUrl: sp.acsUrl,
      ...(sp.certificatePem && { certificate: pemBody(sp.certificatePem), encryptAssertions: sp.encryptAssertions ?? false }),
    },
    users: users.map(({ username, password, email, name, groups }) => ({ username, password, email, name, groups })),
  };
  await writeFile(join(ws.dir, 'settings.json'), JSON.stringify(settings, null, 2), { mode: 0o600 });
}
