import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import { SlidingWindow, secretHash } from '../device/index.js';
import { BridgeError, isBridgeError, type ErrorCode, sentence } from '../errors.js';
import { refusedByNodeSaml } from '../idp/saml/node-saml.js';
import type { Store } from '../store/index.js';

/**
 * The SAML refusals that count: those anyone can cause with a made-up answer (its form, its
 * signature, the algorithms and encryption it names, whom it is addressed to and from, which
 * request it answers). Not counted: the IdP saying no (`ERR_SAML_STATUS`: a cancelled MFA prompt,
 * a user not assigned), a stale or reposted answer (`REPLAY`, `EXPIRED`: the back button), an
 * IdP-initiated answer where none is allowed (`UNSOLICITED`: a click on the IdP's dashboard tile),
 * and what only an answer the IdP really signed can reach (audience, recipient, NameID,
 * attributes). Those are people's everyday failures, and behind one office address thirty of them
 * would lock everyone out. Whatever node-saml refuses counts whatever its code: it is told apart by
 * node-saml's message, which can carry the answer's own text (a forged Reference saying "audience").
 */
const COUNTED_SAML_REFUSALS: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'ERR_SAML_MALFORMED',
  'ERR_SAML_TOO_LARGE',
  'ERR_SAML_SIGNATURE_INVALID',
  'ERR_SAML_ALGORITHM_REFUSED',
  'ERR_SAML_ENCRYPTION_REFUSED',
  'ERR_SAML_DECRYPTION_FAILED',
  'ERR_SAML_INVALID',
  'ERR_SAML_DESTINATION_MISMATCH',
  'ERR_SAML_ISSUER_MISMATCH',
  'ERR_SAML_IN_RESPONSE_TO',
]);

/** Refused sign-ins one client address may cause in the window, before its next answers are refused unread. */
const MAX_REFUSED = 30;
/**
 * Answers from one address checked at once: a burst far beyond a morning wave behind one NAT
 * address. Once CHECKING_COUNTS_FROM of its answers were refused, those being checked count
 * against what is left of MAX_REFUSED, so answers sent at once are not all read before they are
 * counted; before that, an office's sign-ins in flight (and one stale tab's refusal) cost nothing.
 */
const MAX_CHECKING = 100;
const CHECKING_COUNTS_FROM = 5;
/**
 * Refused sign-ins counted in the store from all addresses together in the window. Each address's
 * count there is an entry that lives until the window has passed since its last refusal, so there
 * are never more of them than this: addresses are plenty (an IPv6 /48 is 65,536 of them), the
 * store is not. Past it, addresses are counted in this process instead (MAX_COUNTED_HERE). The
 * count is kept in SHARDS windows (an address always in the same one), so that refusals arriving
 * at once do not all rewrite one value of 5,000 times by compare-and-swap.
 */
const MAX_REFUSED_EVERYWHERE = 5000;
const SHARDS = 16;
/** Addresses and networks counted in this process (see `countHere`); the least recently refused go first. */
const MAX_COUNTED_HERE = 10_000;
/** Refusals one wider network (IPv6 /48, IPv4 /24) may cause in the window when counted in this process. */
const MAX_REFUSED_BY_NETWORK = 16 * MAX_REFUSED;
const WINDOW_SECONDS = 10 * 60;

/**
 * Two sign-in answers cost real work before they can be refused, and anyone can send them, since
 * `GET /login` makes flows at will: an OIDC callback costs a call to the IdP's token endpoint (a
 * script sending made-up codes makes the bridge hammer the IdP under its client id, which the IdP
 * may throttle for everyone), and a SAML post costs parsing and checking up to 256 KiB of XML.
 * Only refusals of made-up answers count, never a sign-in that succeeds or fails the way people's
 * do, so an office behind one NAT address signing in at 9 am is never stopped; a script is, after
 * MAX_REFUSED, per address (IPv6: per /64). One instance serves the SAML and OIDC routes alike.
 */
export class RefusedSignIns {
  private readonly window: SlidingWindow;
  private readonly clock: Clock;
  /** Answers being checked now, per address (this process, while requests are in flight). */
  private readonly checking = new Map<string, number>();
  /** Refusal times of addresses, and of their wider networks, counted here rather than in the store. */
  private readonly countedHere = new Map<string, number[]>();
  /** Picks an address's shard of the store's share; random, so no one can aim at one shard. */
  private readonly shardKey = randomBytes(32);

  constructor(deps: { store: Store; clock: Clock }) {
    this.window = new SlidingWindow(deps);
    this.clock = deps.clock;
  }

  /**
   * Runs `signIn`, first refusing it (ERR_RATE_LIMITED, 429) if `address` caused MAX_REFUSED
   * refused sign-ins in the window, counting those still being checked; then counts it if refused.
   */
  async guard(address: string, signIn: () => Promise<void>): Promise<void> {
    const refused = (await this.window.count(keyOf(address), WINDOW_SECONDS)) + this.refusedHere(address).length;
    // No await between this check and the count it adds: requests in flight see each other.
    const checking = this.checking.get(address) ?? 0;
    const pending = refused >= CHECKING_COUNTS_FROM ? checking : 0;
    const network = this.refusedHere(widerNetwork(address)).length;
    if (refused + pending >= MAX_REFUSED || checking >= MAX_CHECKING || network >= MAX_REFUSED_BY_NETWORK) throw tooManyRefused();
    this.checking.set(address, checking + 1);
    try {
      await signIn();
    } catch (err) {
      // Counting must not hide the refusal itself.
      await this.note(address, err).catch(() => undefined);
      throw err;
    } finally {
      const left = this.checking.get(address)! - 1;
      if (left > 0) this.checking.set(address, left);
      else this.checking.delete(address);
    }
  }

  /**
   * Counts `err` when the answer itself was made up: the IdP's token endpoint refused the code (a
   * 4xx: an IdP that is down or throttling says nothing about the code), or a SAML answer failed a
   * check anyone can fail. In the store while all addresses' share of it has room; in this process
   * otherwise, and whenever the store could not count it (contention, an outage): never not at all.
   */
  private async note(address: string, err: unknown): Promise<void> {
    const status = isBridgeError(err, 'ERR_AUTH_IDP_ERROR') ? err.detail?.httpStatus : undefined;
    const refusedExchange = typeof status === 'number' && status >= 400 && status < 500 && status !== 429;
    const refusedSamlAnswer = isBridgeError(err) && (COUNTED_SAML_REFUSALS.has(err.code) || refusedByNodeSaml(err));
    if (!refusedExchange && !refusedSamlAnswer) return;
    try {
      // At its limit already (answers that were in flight): nothing more to count, no share to use.
      if ((await this.window.count(keyOf(address), WINDOW_SECONDS)) >= MAX_REFUSED) return;
      const share = `signin:refused:all:${createHmac('sha256', this.shardKey).update(address).digest()[0]! % SHARDS}`;
      const perShard = Math.floor(MAX_REFUSED_EVERYWHERE / SHARDS);
      const storeHasRoom =
        (await this.window.count(share, WINDOW_SECONDS)) < perShard &&
        (await this.window.take(share, perShard, WINDOW_SECONDS)) !== undefined;
      if (storeHasRoom) {
        // Not taken: the address is at its limit there already.
        await this.window.take(keyOf(address), MAX_REFUSED, WINDOW_SECONDS);
        return;
      }
    } catch {
      // counted here below
    }
    this.countHere(address);
  }

  /** Refusals of an address or network counted in this process, within the window. */
  private refusedHere(key: string): number[] {
    const now = this.clock.now();
    return this.countedHere.get(key)?.filter((t) => now - t < WINDOW_SECONDS * 1000) ?? [];
  }

  /**
   * Counts a refusal in this process, for the address (MAX_REFUSED) and for its wider network, IPv6
   * /48 or IPv4 /24 (MAX_REFUSED_BY_NETWORK): a flood that filled the store's share comes from many
   * addresses, and the network's count keeps it from cycling through more addresses than the map
   * holds (MAX_COUNTED_HERE) to have them forgotten, while a neighbour's 30 do not stop the others.
   */
  private countHere(address: string): void {
    for (const [key, limit] of [
      [address, MAX_REFUSED],
      [widerNetwork(address), MAX_REFUSED_BY_NETWORK],
    ] as const) {
      const times = [...this.refusedHere(key), this.clock.now()].slice(-limit);
      this.countedHere.delete(key); // re-inserted last: the Map's order is the least recently refused first
      this.countedHere.set(key, times);
      if (this.countedHere.size > MAX_COUNTED_HERE) this.countedHere.delete(this.countedHere.keys().next().value!);
    }
  }
}

/** An IPv6 /64 (as `networkOf` writes it) as its /48, an IPv4 address as its /24. */
function widerNetwork(address: string): string {
  const v6 = /^([0-9a-f]+:[0-9a-f]+:[0-9a-f]+):[0-9a-f]+::\/64$/.exec(address);
  if (v6) return `${v6[1]}::/48`;
  const v4 = /^(\d+\.\d+\.\d+)\.\d+$/.exec(address);
  return v4 ? `${v4[1]}.0/24` : address;
}

const tooManyRefused = () =>
  new BridgeError('ERR_RATE_LIMITED', {
    userMessage: sentence('err.ERR_RATE_LIMITED.signIn'),
    detail: { reason: 'refused sign-ins', windowSeconds: WINDOW_SECONDS },
  });

const keyOf = (address: string) => `signin:refused:ip:${secretHash(address)}`;
