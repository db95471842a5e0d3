import { createHash, randomBytes } from 'node:crypto';
import type { Profile } from '@node-saml/node-saml';
import { DEFAULTS } from '../../config/defaults.js';
import type { SamlIdp } from '../../config/index.js';
import { BridgeError } from '../../errors.js';
import type {
  ConnectorDeps,
  FlowSecrets,
  IdpAnswer,
  LoginOptions,
  LoginResult,
  LoginStart,
  ServiceProviderConnector,
} from '../connector.js';
import { Reloading } from '../reloading.js';
import { checkReauthentication, reauthenticationSecrets } from '../reauthentication.js';
import { checkAssertion, type CheckedAssertion } from './assertion-checks.js';
import { identityFromProfile } from './attributes.js';
import { nodeSaml } from './library.js';
import { classifyNodeSamlError, nodeSamlConfig } from './node-saml.js';
import { loadSpKeys, type SpKeys } from './pem.js';
import { isUnsolicitedPost, postedInResponseTo, prefilterPost } from './prefilter.js';
import { samlRefusal } from './refusal.js';
import { checkResponse, unsolicited } from './response-checks.js';
import { signaturePlan } from './signatures.js';
import { spMetadataXml } from './sp-metadata.js';
import { configuredTrust, loadIdpTrust, type IdpTrust } from './trust.js';
import { samlValidationPool } from './validation-pool.js';
import { parseXml, type XmlElement } from './xml.js';

/**
 * The bridge as SAML 2.0 Service Provider, on node-saml wrapped in the checks it leaves open
 * (docs/security-reference.md §1.5): raw-text and raw-document checks before it, checks on the signed assertion
 * after it, and the assertion ID spent in the store last. SP-initiated only: the AuthnRequest ID
 * travels in this browser's flow and must come back in InResponseTo.
 */
export class SamlConnector implements ServiceProviderConnector {
  readonly type = 'saml' as const;
  readonly id: string;
  readonly displayName: string;
  private readonly sp: SpKeys | undefined;
  private readonly configured: Partial<IdpTrust>;
  private readonly trust: Reloading<IdpTrust>;
  /** Where the trust comes from: the metadata named and the settings written (certificates as read). */
  private readonly trustSource: string;

  /** `previous`: the connector of this IdP that a reload replaces. */
  constructor(
    readonly idp: SamlIdp,
    private readonly deps: ConnectorDeps,
    previous?: SamlConnector,
  ) {
    this.id = idp.id;
    this.displayName = idp.displayName;
    this.sp = loadSpKeys(idp);
    this.configured = configuredTrust(idp);
    /*
     * IdP trust (entityID, entry point, certificates). Metadata is read again every
     * `metadataRefreshSeconds`, so a certificate the IdP publishes ahead of a rollover is trusted in
     * time; when a reload fails the previous trust stays in use (its certificates are still right)
     * and readiness reports the failure. Without metadata, it is the config and never changes.
     */
    this.trust = new Reloading(() => loadIdpTrust(idp, this.configured, deps.logger), deps.clock, {
      refreshMs: idp.metadata ? idp.metadataRefreshSeconds * 1000 : Infinity,
      minRetryMs: DEFAULTS.idp.loadRetryMinSeconds * 1000,
      maxRetryMs: DEFAULTS.idp.loadRetryMaxSeconds * 1000,
      keepLastGood: true,
    });
    // A reload while the IdP's metadata URL does not answer must not drop the trust in use: from
    // the same source, the last good trust is this one's too until a load of its own succeeds. Not
    // for a metadata file: the reload is the admin's edit, and one that does not parse fails closed.
    this.trustSource = JSON.stringify([idp.metadata ?? null, this.configured]);
    const fromUrl = /^https?:\/\//i.test(idp.metadata ?? '');
    const inherited = fromUrl && previous?.trustSource === this.trustSource ? previous.trust.lastGood() : undefined;
    if (inherited) this.trust.startFrom(inherited);
  }

  async ready(): Promise<void> {
    await this.trust.check();
  }

  /** Reads the IdP metadata now (SIGHUP), whatever the schedule; a failure keeps the trust in use. */
  async reload(): Promise<void> {
    await this.trust.reload();
  }

  async startLogin(options: LoginOptions = {}): Promise<LoginStart> {
    const trust = await this.trust.get();
    const requestId = `_${randomBytes(20).toString('hex')}`;
    // A fresh node-saml instance per request: it is how we learn the ID it puts in the request.
    const saml = new (nodeSaml().SAML)({
      ...nodeSamlConfig(this.idp, trust, this.sp),
      generateUniqueId: () => requestId,
      forceAuthn: options.reauthenticate === true,
    });
    const redirectTo = await saml.getAuthorizeUrlAsync('', undefined, {});
    const reauthentication = options.reauthenticate ? reauthenticationSecrets(this.deps.clock.now()) : {};
    return { redirectTo, secrets: { requestId, ...reauthentication } };
  }

  async finishLogin(answer: IdpAnswer, secrets: FlowSecrets): Promise<LoginResult> {
    if (answer.kind !== 'post') throw new BridgeError('ERR_BAD_REQUEST', { detail: { reason: 'SAML answers arrive as form posts' } });
    const posted = prefilterPost(answer.form);
    // Refused before parsing: it is not counted against the address (a click on the IdP's tile
    // where IdP-initiated sign-in is off looks the same), so it must cost nothing.
    if (isUnsolicitedPost(posted)) throw unsolicited();
    const trust = await this.trust.get();
    const root = await parse(posted.xml);
    checkResponse(root, {
      issuer: trust.entityId,
      acsUrl: this.idp.acsUrl,
      requestId: secrets.requestId,
      canDecrypt: this.sp !== undefined,
      size: posted.xml.length,
    });
    const requestId = secrets.requestId!; // checkResponse proved it is set and answered
    // The signatures node-saml must verify on this answer: those `requireSigned` demands and any other present.
    const config = nodeSamlConfig(this.idp, trust, this.sp, signaturePlan(root, this.idp.requireSigned));

    let profile: Profile | null;
    try {
      profile = await samlValidationPool().validate(config, posted.base64);
    } catch (err) {
      throw err instanceof BridgeError ? err : classifyNodeSamlError(err);
    }
    if (!profile?.getAssertionXml) throw samlRefusal('ERR_SAML_INVALID', { reason: 'node-saml returned no profile' });
    const assertion = checkAssertion(await parse(profile.getAssertionXml()), {
      issuer: trust.entityId,
      acsUrl: this.idp.acsUrl,
      requestId,
      now: this.deps.clock.now(),
      skewMs: this.idp.clockSkewSeconds * 1000,
      maxAgeMs: this.idp.maxAssertionAgeSeconds * 1000,
    });
    const identity = identityFromProfile(this.idp, trust.entityId, profile, assertion);
    // ForceAuthn is a request: only an AuthnInstant after the sign-in started shows it was honoured.
    checkReauthentication(identity, secrets, this.idp.clockSkewSeconds);
    await this.spend(trust.entityId, assertion);
    return { identity };
  }

  /**
   * Whether the answer's root start tag names another request than this browser's flow, read
   * without parsing (prefilter.ts postedInResponseTo); an answer it cannot read that way is left
   * to `finishLogin`, which parses it and reports what is wrong.
   */
  answersAnotherRequest(form: Record<string, unknown>, secrets: FlowSecrets): boolean {
    try {
      const inResponseTo = postedInResponseTo(prefilterPost(form));
      return inResponseTo !== undefined && inResponseTo !== secrets.requestId;
    } catch {
      return false;
    }
  }

  /**
   * Whether this is an IdP-initiated response (no InResponseTo) from an IdP that allows them. The
   * web layer answers it by starting an SP-initiated sign-in, so it only ever leads to our own
   * login page, and the root's start tag is enough (read without parsing: anyone may post such
   * answers, with no flow to count them against). Anything else, refusals included, is left to
   * `finishLogin`, which reports it against this browser's flow.
   */
  isAllowedIdpInitiated(form: Record<string, unknown>): boolean {
    if (!this.idp.allowIdpInitiated) return false;
    try {
      return isUnsolicitedPost(prefilterPost(form));
    } catch {
      return false;
    }
  }

  spMetadata(): string {
    return spMetadataXml(this.idp, this.sp);
  }

  /**
   * Each assertion is accepted once (ASVS 6.8.3), remembered until its acceptance window closes.
   * Written only now, after every check passed, so forged responses cannot fill the cache, and with
   * an atomic create-if-absent, so two concurrent posts of one assertion cannot both pass.
   */
  private async spend(issuer: string, assertion: CheckedAssertion): Promise<void> {
    const key = `saml-assertion:${createHash('sha256').update(`${issuer}\u0000${assertion.id}`).digest('base64url')}`;
    const ttlSeconds = Math.max(1, Math.ceil((assertion.acceptableUntil - this.deps.clock.now()) / 1000));
    if (!(await this.deps.store.insert(key, 1, ttlSeconds))) {
      throw samlRefusal('ERR_SAML_REPLAY', { reason: 'assertion ID already used', assertionId: assertion.id.slice(0, 100) });
    }
  }
}

async function parse(xml: string): Promise<XmlElement> {
  try {
    return await parseXml(xml);
  } catch (err) {
    throw samlRefusal('ERR_SAML_MALFORMED', {
      reason: 'not well-formed XML',
      error: err instanceof Error ? err.message.slice(0, 200) : String(err),
    });
  }
}
