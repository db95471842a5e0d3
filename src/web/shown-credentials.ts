import type { Clock } from '../clock.js';
import { newSecret, secretHash } from '../device/secrets.js';
import { BridgeError, sentence } from '../errors.js';
import type { Identity } from '../idp/identity.js';
import type { IssuedCredentials } from '../issuance/index.js';
import type { Store } from '../store/index.js';

/**
 * Credentials minted in the browser, kept for a few minutes so the page that shows them is a GET
 * (POST-redirect-GET): reloading it shows the same keys again instead of minting new ones or
 * failing on a re-posted form.
 *
 * Kept under a random id (256 bits; the store key is its hash, so a copy of the store names no
 * page), bound to the browser session that minted them: the session's CSRF token, its one secret,
 * stands for it (by hash). They live at most 15 minutes and never past their own expiry; the store
 * seals values at rest like every other entry. A second, secret-free marker lives as long as a
 * session can, so a later visit can say "no longer shown here" and offer the role again, instead
 * of an error.
 */
export const SHOWN_CREDENTIALS_MAX_SECONDS = 15 * 60;

export interface ShownCredentials {
  session: string;
  issuer: string;
  subject: string;
  roleId: string;
  roleSessionName: string;
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  /** ISO 8601. */
  expiration: string;
}

/** What is left once the credentials are gone: who they were for, never the keys. */
interface ShownMarker {
  issuer: string;
  subject: string;
  roleId: string;
}

export type Lookup = { kind: 'shown'; shown: ShownCredentials } | { kind: 'gone'; roleId?: string };

const shownKey = (id: string) => `web-credentials:${secretHash(id)}`;
const markerKey = (id: string) => `web-credentials-seen:${secretHash(id)}`;

/** A page id from the URL: the base64url of 32 random bytes, nothing else reaches the store. */
const PAGE_ID = /^[A-Za-z0-9_-]{43}$/;

export class ShownCredentialsStore {
  constructor(private readonly deps: { store: Store; clock: Clock; markerSeconds: number }) {}

  /** Keeps `issued` for the session whose CSRF token is `sessionSecret`; the id for the page URL. */
  async keep(issued: IssuedCredentials, roleId: string, user: Identity, sessionSecret: string): Promise<string> {
    const id = newSecret();
    const { credentials } = issued;
    const left = Math.floor((credentials.expiration.getTime() - this.deps.clock.now()) / 1000);
    const ttl = Math.max(1, Math.min(SHOWN_CREDENTIALS_MAX_SECONDS, left));
    const shown: ShownCredentials = {
      session: secretHash(sessionSecret),
      issuer: user.issuer,
      subject: user.subject,
      roleId,
      roleSessionName: issued.roleSessionName,
      accessKeyId: credentials.accessKeyId,
      accessKeySecret: credentials.accessKeySecret,
      securityToken: credentials.securityToken,
      expiration: credentials.expiration.toISOString(),
    };
    await this.deps.store.upsert(
      markerKey(id),
      { issuer: user.issuer, subject: user.subject, roleId } satisfies ShownMarker,
      this.deps.markerSeconds,
    );
    await this.deps.store.upsert(shownKey(id), shown, ttl);
    return id;
  }

  /**
   * The credentials of page `id` for this session, or that they are gone (with the role, when the
   * page was this user's). Credentials or a page of another sign-in: ERR_CREDENTIALS_NOT_YOURS, a
   * 404 like an id that never existed, but audited as a refusal (ERR_NOT_FOUND is not): someone
   * holds the URL of a page that was not shown to them.
   */
  async find(id: string, user: Identity, sessionSecret: string | undefined): Promise<Lookup> {
    if (!PAGE_ID.test(id)) throw new BridgeError('ERR_NOT_FOUND');
    const shown = await this.deps.store.find<ShownCredentials>(shownKey(id));
    const sameUser = (owner: { issuer: string; subject: string }) => owner.issuer === user.issuer && owner.subject === user.subject;
    if (shown) {
      if (sameUser(shown) && sessionSecret !== undefined && shown.session === secretHash(sessionSecret)) return { kind: 'shown', shown };
      throw notYours(user, shown);
    }
    const marker = await this.deps.store.find<ShownMarker>(markerKey(id));
    if (marker && !sameUser(marker)) throw notYours(user, marker);
    return { kind: 'gone', roleId: marker?.roleId };
  }
}

/**
 * The log's `detail` names who asked and whose page it was (their subjects; `ownerMatches`: the same
 * user in another browser), never the page id.
 */
function notYours(user: Identity, owner: { issuer: string; subject: string }): BridgeError {
  return new BridgeError('ERR_CREDENTIALS_NOT_YOURS', {
    userMessage: sentence('err.ERR_CREDENTIALS_NOT_YOURS'),
    hint: sentence('hint.newCredentials'),
    detail: { subject: user.subject, owner: owner.subject, ownerMatches: owner.issuer === user.issuer && owner.subject === user.subject },
  });
}
