import type { Clock } from '../clock.js';
import { fetchUrlProblem } from './url-rules.js';

export type Fetch = typeof fetch;

export interface RemoteDocumentsOptions {
  clock: Clock;
  allowInsecureLoopback: boolean;
  fetch?: Fetch;
  /** How long a fetched document is reused. Short: the bridge may rotate keys while we run. */
  ttlMs?: number;
  timeoutMs?: number;
  maxBytes?: number;
}

/**
 * Documents the emulator fetches from identity providers at use time: SAML IdP metadata, OIDC
 * discovery and JWKS. Fetched lazily (in the demo the bridge may start after the emulator),
 * cached briefly, never followed through redirects, and only from URLs url-rules.ts allows.
 */
export class RemoteDocuments {
  private readonly cache = new Map<string, { fetchedAt: number; body: string }>();
  private readonly fetch: Fetch;
  private readonly ttlMs: number;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;

  constructor(private readonly options: RemoteDocumentsOptions) {
    this.fetch = options.fetch ?? fetch;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
  }

  /** The body at `url`; `fresh` bypasses the cache (a JWKS without the token's key). */
  async text(url: string, { fresh = false } = {}): Promise<string> {
    const cached = this.cache.get(url);
    if (!fresh && cached && this.options.clock.now() - cached.fetchedAt < this.ttlMs) return cached.body;
    const problem = fetchUrlProblem(url, this.options.allowInsecureLoopback);
    if (problem) throw new Error(`${url} ${problem}`);
    const res = await this.fetch(url, { redirect: 'error', signal: AbortSignal.timeout(this.timeoutMs) });
    if (res.status !== 200) throw new Error(`${url} answered HTTP ${res.status}`);
    if (Number(res.headers.get('content-length') ?? 0) > this.maxBytes) throw new Error(`${url} is too large`);
    const body = await res.text();
    if (body.length > this.maxBytes) throw new Error(`${url} is too large`);
    this.cache.set(url, { fetchedAt: this.options.clock.now(), body });
    return body;
  }

  /** The JSON object at `url`. */
  async json(url: string, options: { fresh?: boolean } = {}): Promise<Record<string, unknown>> {
    const value: unknown = JSON.parse(await this.text(url, options));
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${url} is not a JSON object`);
    return value as Record<string, unknown>;
  }
}
