import type { AlibabaSettings, IssuerSettings, Role } from '../config/index.js';
import type { Identity } from '../idp/identity.js';
import { loadKeySet, type KeySet } from './keys.js';
import { discoveryDocument, jwks } from './oidc/discovery.js';
import { mintIdToken } from './oidc/id-token.js';
import { samlIdpMetadata } from './saml/metadata.js';
import { mintSamlResponse } from './saml/response.js';
import { SubjectNames } from './subject.js';

export type { KeySet, SigningKey } from './keys.js';

/**
 * The bridge as an issuer trusted by RAM: it vouches for one user and exactly one role at a time,
 * as a SAML IdP (signed Responses) or an OIDC provider (signed ID tokens). RAM trusts the bridge,
 * not the corporate IdP, so only roles the mapping granted can ever be asserted.
 */
export class BridgeIssuer {
  readonly names: SubjectNames;

  private constructor(
    private readonly settings: IssuerSettings,
    private readonly alibaba: AlibabaSettings,
    private readonly publicUrl: string,
    readonly samlKeys: KeySet,
    readonly oidcKeys: KeySet,
  ) {
    this.names = new SubjectNames(settings.subjectSecret);
  }

  static async create(settings: IssuerSettings, alibaba: AlibabaSettings, publicUrl: string): Promise<BridgeIssuer> {
    const [samlKeys, oidcKeys] = await Promise.all([loadKeySet(settings.samlKeys, 'saml'), loadKeySet(settings.oidcKeys, 'oidc')]);
    return new BridgeIssuer(settings, alibaba, publicUrl, samlKeys, oidcKeys);
  }

  get oidcIssuer(): string {
    return this.settings.oidcIssuer;
  }

  samlMetadata(): string {
    return samlIdpMetadata({ entityId: this.settings.samlEntityId, ssoUrl: `${this.publicUrl}/roles`, keys: this.samlKeys });
  }

  discovery(extra?: Record<string, unknown>): Record<string, unknown> {
    return discoveryDocument(this.settings.oidcIssuer, this.oidcKeys, extra);
  }

  jwks(): { keys: unknown[] } {
    return jwks(this.oidcKeys);
  }

  /** A signed SAML Response for `role` (via saml), as XML. */
  samlResponse(identity: Identity, role: Role, sessionDurationSeconds: number, now: number): Promise<string> {
    if (!role.providerArn) throw new TypeError(`role ${role.id} has no SAML provider`);
    return mintSamlResponse({
      issuer: this.settings.samlEntityId,
      recipient: this.alibaba.samlRecipient,
      audience: this.alibaba.samlAudience,
      nameId: this.names.pseudonym(identity),
      roleArn: role.arn,
      providerArn: role.providerArn,
      roleSessionName: this.names.roleSessionName(identity, 'AssumeRoleWithSAML'),
      sessionDurationSeconds,
      lifetimeSeconds: this.settings.tokenLifetimeSeconds,
      now,
      key: this.samlKeys.signing,
      signResponse: this.settings.signSamlResponse,
    });
  }

  /**
   * A signed ID token for AssumeRoleWithOIDC into `role`: short-lived (`oidcTokenLifetimeSeconds`)
   * and, with a per-role `oidcAudience` required by the role's trust policy, good for this role only.
   */
  idToken(identity: Identity, role: Role, now: number): Promise<string> {
    return mintIdToken({
      issuer: this.settings.oidcIssuer,
      audience: role.oidcAudience ?? this.settings.oidcAudience,
      subject: this.names.pseudonym(identity),
      lifetimeSeconds: this.settings.oidcTokenLifetimeSeconds,
      now,
      key: this.oidcKeys.signing,
      claims: {
        email: identity.email,
        name: identity.name,
        amr: identity.amr,
        // Which role this token was minted for: visible in STS's OIDCTokenInfo and in audits.
        role_arn: role.arn,
      },
    });
  }
}
