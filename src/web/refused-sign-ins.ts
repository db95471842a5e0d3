import type { Clock } from '../clock.js';
import { SlidingWindow, secretHash } from '../device/index.js';
import { BridgeError, isBridgeError, type ErrorCode } from '../errors.js';
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
 * Answers from one address checked at once, when none of its answers was refused yet: a burst far
 * beyond a morning wave behind one NAT address. Once one is, those being checked count against
 * what is left of MAX_REFUSED, so answers sent at once are not all read before they are counted.
 */
const MAX_CHECKING = 100;
/**
 * Refused sign-ins counted in the store from all addresses together in the window. Each address's
 * count there is an entry that lives until the window has passed since its last refusal, so there
 * are never more of them than this: addresses are plenty (an IPv6 /48 is 65,536 of them), the
 * store is not. Past it, addresses are counted in this process instead (MAX_COUNTED_HERE).
 */
const MAX_REFUSED_EVERYWHERE = 5000;
/** Addresses counted in this process while the store's share is used up; the least recent go first. */
const MAX_COUNTED_HERE = 10_000;
const WINDOW_SECONDS = 10 * 60;
/** The window of all addresses' refusals together. */
const EVERYONE = 'signin:refused:all';

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
  /** Refusal times of addresses counted here rather than in the store (bounded, least recent first). */
  private readonly countedHere = new Map<string, number[]>();

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
    if (refused + (refused > 0 ? checking : 0) >= MAX_REFUSED || checking >= MAX_CHECKING) throw tooManyRefused();
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

  /** Counts `err` when the answer itself was made up: the IdP's token endpoint refused the code, or a SAML answer failed a check anyone can fail. */
  private async note(address: string, err: unknown): Promise<void> {
    const refusedExchange = isBridgeError(err, 'ERR_AUTH_IDP_ERROR') && typeof err.detail?.httpStatus === 'number';
    const refusedSamlAnswer = isBridgeError(err) && (COUNTED_SAML_REFUSALS.has(err.code) || refusedByNodeSaml(err));
    if (!refusedExchange && !refusedSamlAnswer) return;
    const storeHasRoom =
      (await this.window.count(EVERYONE, WINDOW_SECONDS)) < MAX_REFUSED_EVERYWHERE &&
      (await this.window.take(EVERYONE, MAX_REFUSED_EVERYWHERE, WINDOW_SECONDS)) !== undefined;
    if (storeHasRoom) await this.window.take(keyOf(address), MAX_REFUSED, WINDOW_SECONDS);
    else this.countHere(address);
  }

  /** This address's refusals counted in this process, within the window. */
  private refusedHere(address: string): number[] {
    const now = this.clock.now();
    return this.countedHere.get(address)?.filter((t) => now - t < WINDOW_SECONDS * 1000) ?? [];
  }

  private countHere(address: string): void {
    const times = [...this.refusedHere(address), this.clock.now()].slice(-MAX_REFUSED);
    this.countedHere.delete(address); // re-inserted last: the Map's order is the least recent first
    this.countedHere.set(address, times);
    if (this.countedHere.size > MAX_COUNTED_HERE) this.countedHere.delete(this.countedHere.keys().next().value!);
  }
}

const tooManyRefused = () =>
  new BridgeError('ERR_RATE_LIMITED', {
    userMessage: 'Too many sign-ins from this address failed. Please wait a few minutes.',
    detail: { reason: 'refused sign-ins', windowSeconds: WINDOW_SECONDS },
  });

const keyOf = (address: string) => `signin:refused:ip:${secretHash(address)}`;
