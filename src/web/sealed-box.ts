import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Authenticated encryption (AES-256-GCM) of small JSON values that the browser keeps for us, so
 * state that exists before sign-in costs the server nothing. Each key is derived from one of the
 * session secrets (HKDF-SHA-256, bound to `purpose`): values sealed for one purpose never open for
 * another, and rotation works as for cookies: the first secret seals, every listed one opens.
 */
export class SealedBox {
  private readonly keys: Buffer[];

  constructor(
    secrets: readonly string[],
    private readonly purpose: string,
  ) {
    if (secrets.length === 0) throw new TypeError('SealedBox needs at least one secret');
    this.keys = secrets.map((s) => Buffer.from(hkdfSync('sha256', s, 'rambridge sealed box', purpose, 32)));
  }

  seal(value: unknown): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!, iv).setAAD(Buffer.from(this.purpose));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The value, or undefined when `token` was not sealed by us for this purpose (or was altered). */
  open<T>(token: string): T | undefined {
    const raw = Buffer.from(token, 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES + 2) return undefined;
    const iv = raw.subarray(0, IV_BYTES);
    const body = raw.subarray(IV_BYTES, raw.length - TAG_BYTES);
    const tag = raw.subarray(raw.length - TAG_BYTES);
    for (const key of this.keys) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
          .setAAD(Buffer.from(this.purpose))
          .setAuthTag(tag);
        return JSON.parse(Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')) as T;
      } catch {
        // not this key: try the next one
      }
    }
    return undefined;
  }
}
