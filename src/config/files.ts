import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { BridgeConfig } from './model.js';
import { cannotReadProblem, fileValueForMessage, isPemText, readPemOrFile, unreadableBecause } from './file-values.js';
import { createAuditLogger, type Logger } from '../log.js';
import { ConfigInvalid, type ConfigProblem } from './problems.js';
import type { KeyPairConfig } from './schema.js';
import { repeatedSigningKeys, samlIdpKeyProblem, sameKeyProblem, signingKeyRule } from './signing-keys.js';

/**
 * Opens every key, certificate and metadata file the configuration names, and parses what it
 * finds, so `check-config` reports a missing, unreadable or malformed file with its path instead of
 * saying "valid" and letting `serve` die on it. PEM text given inline (from ${ENV}) is parsed too.
 */
export async function checkConfigFiles(config: BridgeConfig): Promise<ConfigProblem[]> {
  const checks: Array<Promise<ConfigProblem | undefined>> = [];
  const keyListChecks: Array<Promise<ConfigProblem[]>> = [];
  const key = (value: string | undefined, path: string) => value !== undefined && checks.push(checkPem(value, path, 'key'));
  const cert = (value: string | undefined, path: string, kind: 'certificate' | 'idp-certificate' = 'certificate') =>
    value !== undefined && checks.push(checkPem(value, path, kind));
  const file = (value: string | undefined, path: string, looksRight?: (text: string) => boolean, what?: string) =>
    value !== undefined && checks.push(checkFile(value, path, looksRight, what));

  for (const purpose of ['samlKeys', 'oidcKeys'] as const) {
    const pairs = config.issuer?.[purpose] ?? [];
    pairs.forEach((pair, i) => {
      key(pair.privateKey, `issuer.${purpose}[${i}].privateKey`);
      cert(pair.certificate, `issuer.${purpose}[${i}].certificate`);
    });
    keyListChecks.push(checkSigningKeys(pairs, purpose === 'samlKeys' ? 'saml' : 'oidc', `issuer.${purpose}`));
  }
  for (const idp of config.idps) {
    if (idp.type !== 'saml') continue;
    const base = `idps.${idp.id}`;
    idp.certificates?.forEach((c, i) => cert(c, `${base}.certificates[${i}]`, 'idp-certificate'));
    key(idp.spPrivateKey, `${base}.spPrivateKey`);
    cert(idp.spCertificate, `${base}.spCertificate`);
    if (idp.metadata && !/^https?:\/\//i.test(idp.metadata)) {
      file(idp.metadata, `${base}.metadata`, (t) => /<(\w+:)?EntityDescriptor[\s>]/.test(t), 'SAML metadata (an EntityDescriptor)');
    }
  }
  if (config.store.type === 'redis') {
    const tls = config.store.tls;
    cert(tls?.caFile, 'store.tls.caFile');
    cert(tls?.certFile, 'store.tls.certFile');
    key(tls?.keyFile, 'store.tls.keyFile');
  }
  if (!['log', 'stdout', 'stderr'].includes(config.audit.destination)) checks.push(checkAuditFile(config.audit.destination));
  const fileProblems = (await Promise.all(checks)).filter((p): p is ConfigProblem => p !== undefined);
  return [...fileProblems, ...(await Promise.all(keyListChecks)).flat()];
}

/**
 * Private-key files other users may read (any group or other permission bit): a warning, not a
 * refusal, since a container runtime often mounts secrets 0644 where no other user exists. Keys
 * given as PEM text (from ${ENV}) and files that do not read (a problem of their own) are skipped.
 */
export async function keyFileWarnings(config: BridgeConfig): Promise<string[]> {
  const keys: Array<[string | undefined, string]> = [];
  for (const purpose of ['samlKeys', 'oidcKeys'] as const) {
    config.issuer?.[purpose].forEach((pair, i) => keys.push([pair.privateKey, `issuer.${purpose}[${i}].privateKey`]));
  }
  for (const idp of config.idps) if (idp.type === 'saml') keys.push([idp.spPrivateKey, `idps.${idp.id}.spPrivateKey`]);
  if (config.store.type === 'redis') keys.push([config.store.tls?.keyFile, 'store.tls.keyFile']);
  const warnings = await Promise.all(
    keys.map(async ([value, path]) => {
      if (value === undefined || isPemText(value)) return undefined;
      const mode = await stat(value).then(
        (s) => s.mode & 0o777,
        () => undefined,
      );
      if (mode === undefined || (mode & 0o077) === 0) return undefined;
      return `${path}: ${fileValueForMessage(value)} is a private key other users may read (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 it, owned by the user rambridge runs as`;
    }),
  );
  return warnings.filter((w): w is string => w !== undefined);
}

/**
 * The audit stream's logger (`serve`, and `rambridge sessions revoke`); a destination that cannot be
 * opened (made since check-config, or on a reload) is a problem at audit.destination.
 */
export function openAuditLogger(config: Pick<BridgeConfig, 'audit'>, logger: Logger, source: string): Logger {
  try {
    return createAuditLogger(logger, config.audit.destination);
  } catch (err) {
    throw new ConfigInvalid(source, [
      { path: 'audit.destination', message: `cannot open ${config.audit.destination}: ${unreadableBecause(err)}` },
    ]);
  }
}

/**
 * The audit file as `rambridge sessions revoke` opens it, often as root (sudo), in a directory the
 * service user may write: never through a symbolic link (the service user could point it at any
 * file), never created (serve creates it, as itself), and only a regular file of the user running
 * the command; anything else is a problem at audit.destination, reported before anything is revoked.
 * Answers the descriptor, open for appending.
 */
export function openOwnAuditFile(file: string, source: string): number {
  const refuse = (message: string) => new ConfigInvalid(source, [{ path: 'audit.destination', message }]);
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO with no reader fails at once (ENXIO) instead of hanging the command.
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw refuse(`${file} is a symbolic link: name the audit file itself`);
    throw refuse(`cannot open ${file}: ${unreadableBecause(err)}${code === 'ENOENT' ? ' (serve creates it: start it once)' : ''}`);
  }
  const found = fstatSync(fd);
  const euid = process.geteuid?.();
  const problem = !found.isFile()
    ? `${file} is not a regular file`
    : euid !== undefined && found.uid !== euid
      ? `${file} belongs to ${userName(found.uid)}, not to the user running this command: run it as ${userName(found.uid)}, the user serve writes it as`
      : found.nlink !== 1
        ? `${file} has ${found.nlink} names (hard links): name a file of its own`
        : (unsafeDirectory(file, euid) ?? (sameFile(file, found) ? undefined : `${file} changed while it was opened`));
  if (problem === undefined) return fd;
  closeSync(fd);
  throw refuse(problem);
}

/** The sticky bit: in such a directory (/tmp) only a file's owner may replace it. */
const STICKY = 0o1000;

/**
 * The first directory on the way to `file` that someone other than root or this user could change
 * (own it, write to it without the sticky bit, or make it a symbolic link): whoever can, can put
 * another file at that name (as OpenSSH's safe_path refuses for its key files).
 */
function unsafeDirectory(file: string, euid: number | undefined): string | undefined {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    const found = lstatSync(dir);
    if (found.isSymbolicLink()) return `${dir} (on the way to ${file}) is a symbolic link: name the audit file by its real path`;
    const othersMayWrite = (found.mode & 0o022) !== 0 && (found.mode & STICKY) === 0;
    if ((found.uid !== 0 && found.uid !== euid) || othersMayWrite)
      return `${dir} (on the way to ${file}) may be changed by ${othersMayWrite ? 'other users' : userName(found.uid)}: run this command as that user, or keep the audit file in a directory only root or this user may change`;
    if (dir === dirname(dir)) return undefined;
  }
}

/** Whether `file` still names the file opened (no directory on the way was swapped meanwhile). */
function sameFile(file: string, opened: Stats): boolean {
  try {
    const now = lstatSync(file);
    return now.dev === opened.dev && now.ino === opened.ino;
  } catch {
    return false;
  }
}

/** A user's name from /etc/passwd, else `uid N`. */
function userName(uid: number): string {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(uid));
    if (line) return line.split(':')[0]!;
  } catch {
    // No passwd file (Windows, a container without one): the number.
  }
  return `uid ${uid}`;
}

/**
 * The audit file serve opens for appending, creating its directory if missing: it must be a file
 * this process may write, or be creatable in the nearest directory that exists.
 */
async function checkAuditFile(file: string): Promise<ConfigProblem | undefined> {
  const problem = (message: string) => ({ path: 'audit.destination', message });
  let missing = file;
  for (;;) {
    try {
      const found = await stat(missing);
      if (missing === file && found.isDirectory()) return problem(`${file} is a directory: name a file in it`);
      if (missing !== file && !found.isDirectory()) return problem(`cannot create ${file}: ${missing} is not a directory`);
      await access(missing, missing === file ? constants.W_OK : constants.W_OK | constants.X_OK);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(missing) !== missing) {
        missing = dirname(missing);
        continue;
      }
      return missing === file
        ? problem(`cannot write ${file}: ${unreadableBecause(err)}`)
        : problem(`cannot create ${file}: ${missing} is not writable by this user (${unreadableBecause(err)})`);
    }
  }
}

/** `idp-certificate`: a certificate that must also pass samlIdpKeyProblem, as `serve` reads it. */
async function checkPem(value: string, path: string, kind: 'key' | 'certificate' | 'idp-certificate'): Promise<ConfigProblem | undefined> {
  let text: string;
  try {
    text = await readPemOrFile(value, path);
  } catch (err) {
    return (err as ConfigInvalid).problems[0];
  }
  let certificate: X509Certificate | undefined;
  try {
    if (kind === 'key') createPrivateKey(text);
    else certificate = new X509Certificate(text);
  } catch {
    return {
      path,
      message: `${isPemText(value) ? 'the PEM text' : fileValueForMessage(value)} is not a readable PEM ${kind === 'key' ? 'private key' : 'certificate'}`,
    };
  }
  const problem = kind === 'idp-certificate' ? samlIdpKeyProblem(certificate!.publicKey) : undefined;
  return problem === undefined ? undefined : { path, message: problem };
}

/**
 * The issuer's own rules for the signing keys of one list that read (signingKeyRule for each,
 * repeatedSigningKeys for the list): what `serve` would refuse.
 */
async function checkSigningKeys(pairs: KeyPairConfig[], purpose: 'saml' | 'oidc', listPath: string): Promise<ConfigProblem[]> {
  const read = await Promise.all(pairs.map(readSigningKey));
  const problems: ConfigProblem[] = [];
  // Only keys that pass their own rule are compared: one problem per entry says what to fix first.
  const usable = read.map((pair, i) => {
    const rule = pair && signingKeyRule(pair.privateKey, purpose, pair.certificate);
    if (rule && 'problem' in rule) problems.push({ path: `${listPath}[${i}]`, message: rule.problem });
    return rule && 'algorithm' in rule ? pair : undefined;
  });
  for (const { index, sameAs } of repeatedSigningKeys(usable, purpose)) {
    problems.push({ path: `${listPath}[${index}]`, message: sameKeyProblem(listPath, sameAs) });
  }
  return problems;
}

/** A key pair as `serve` reads it; undefined when a file does not read or parse (checkPem reports that, with its path). */
async function readSigningKey(pair: KeyPairConfig): Promise<{ privateKey: KeyObject; certificate?: X509Certificate } | undefined> {
  try {
    const privateKey = createPrivateKey(await readPemOrFile(pair.privateKey, 'privateKey'));
    const certificate =
      pair.certificate === undefined ? undefined : new X509Certificate(await readPemOrFile(pair.certificate, 'certificate'));
    return { privateKey, certificate };
  } catch {
    return undefined;
  }
}

async function checkFile(
  file: string,
  path: string,
  looksRight?: (text: string) => boolean,
  what?: string,
): Promise<ConfigProblem | undefined> {
  const text = await readText(file, path);
  if (typeof text !== 'string') return text;
  return looksRight && !looksRight(text) ? { path, message: `${fileValueForMessage(file)} is not ${what}` } : undefined;
}

async function readText(file: string, path: string): Promise<string | ConfigProblem> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    return cannotReadProblem(file, path, err);
  }
}
