import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { Clock } from '../../clock.js';
import type { Store } from '../../store/index.js';

/** How long an AuthnRequest may be answered (docs/security-reference.md §1.2: about ten minutes, not node-saml's 8 h). */
export const REQUEST_ID_TTL_SECONDS = 600;

/**
 * node-saml's InResponseTo cache kept in the bridge's store instead of its per-process memory map,
 * so every instance behind a load balancer knows every request id, entries expire on the injected
 * clock, and no interval timer keeps the process alive. Keys are per IdP: an id issued toward
 * one IdP is not an answer another IdP can give.
 */
export class StoreRequestIds implements CacheProvider {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly idpId: string,
  ) {}

  async saveAsync(key: string, value: string): Promise<CacheItem | null> {
    await this.store.upsert(this.key(key), value, REQUEST_ID_TTL_SECONDS);
    return { value, createdAt: this.clock.now() };
  }

  async getAsync(key: string): Promise<string | null> {
    return (await this.store.find<string>(this.key(key))) ?? null;
  }

  async removeAsync(key: string | null): Promise<string | null> {
    if (key === null) return null;
    return (await this.store.consume<string>(this.key(key))) ?? null;
  }

  private key(id: string): string {
    return `saml-request:${this.idpId}:${id}`;
  }
}
