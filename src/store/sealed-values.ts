import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** One AES-256 key with the id stored next to what it encrypted. */
export interface EncryptionKey {
  id: string;
  /** 32 bytes, base64. */
  key: string;
}

/**
 * Marks a sealed value; JSON never starts with `$`, so plain and sealed values cannot be confused.
 * `$rb2.` values authenticate the store's namespace (its Redis key prefix) with the key; `$rb1.`
 * values, sealed before December 2026, the key alone: they still open, and are gone once the
 * longest-lived of them (preferences, 180 days) has expired or been written again.
 */
const SEALED = '$rb2.';
const SEALED_WITHOUT_NAMESPACE = '$rb1.';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts store values at rest with AES-256-GCM: what Redis (its dumps, replicas and backups)
 * holds about a user — identity, groups, IdP refresh tokens, device grants, sessions — is
 * unreadable without the bridge's key. Sealed form: `$rb2.<key id>.<iv>.<ciphertext+tag>` (base64url).
 *
 * The namespace and store key (the whole Redis key) are the additional authenticated data, so a
 * value copied under another key (a session moved to another user's id by someone with write
 * access to Redis), or to another bridge sharing the Redis and the encryption key (staging and
 * production under two prefixes), fails to open.
 * The first key seals; every key opens, which is how keys rotate without signing everyone out.
 */
export class ValueSealer {
  private readonly keys: Map<string, Buffer>;
  private readonly current: { id: string; key: Buffer };

  constructor(
    keys: readonly EncryptionKey[],
    /** The store's namespace: its Redis key prefix. */
    private readonly namespace = '',
  ) {
    if (keys.length === 0) throw new TypeError('ValueSealer needs at least one key');
    this.keys = new Map(keys.map((k) => [k.id, Buffer.from(k.key, 'base64')]));
    for (const [id, key] of this.keys) if (key.length !== 32) throw new TypeError(`encryption key "${id}" is not 32 bytes`);
    this.current = { id: keys[0]!.id, key: this.keys.get(keys[0]!.id)! };
  }

  seal(storeKey: string, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(this.namespace + storeKey));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${SEALED}${this.current.id}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /**
   * The plaintext, or undefined when the value cannot be trusted: not sealed (written before
   * encryption was turned on, or by someone else), sealed with a key no longer configured, moved
   * from another store key, or altered. The caller treats it as absent, so the user signs in again.
   */
  open(storeKey: string, sealed: string): string | undefined {
    const authenticated = sealed.startsWith(SEALED)
      ? this.namespace + storeKey
      : sealed.startsWith(SEALED_WITHOUT_NAMESPACE)
        ? storeKey
        : undefined;
    if (authenticated === undefined) return undefined;
    // From the right: the iv and the body are base64url, but a key id may hold dots ("2026.12").
    const rest = sealed.slice(sealed.indexOf('.') + 1);
    const bodyAt = rest.lastIndexOf('.');
    const ivAt = rest.lastIndexOf('.', bodyAt - 1);
    if (bodyAt < 0 || ivAt < 0) return undefined;
    const [id, iv, body] = [rest.slice(0, ivAt), rest.slice(ivAt + 1, bodyAt), rest.slice(bodyAt + 1)];
    const key = this.keys.get(id);
    if (!key) return undefined;
    const nonce = Buffer.from(iv, 'base64url');
    const bytes = Buffer.from(body, 'base64url');
    if (nonce.length !== IV_BYTES || bytes.length < TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(authenticated));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
