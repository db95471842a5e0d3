import { readFile } from 'node:fs/promises';
import type { SamlIdp } from '../../config/index.js';
import { BridgeError, sentence } from '../../errors.js';
import type { Logger } from '../../log.js';
import { parseIdpMetadata, type IdpMetadata, type RefusedCertificate } from './idp-metadata.js';
import { readIdpCertificate } from './pem.js';

/** Everything we trust about one IdP: who it is, where to send users, which keys sign for it. */
export interface IdpTrust {
  entityId: string;
  entryPoint: string;
  /** Pinned signing certificates (PEM); any one of them may sign. */
  certificates: string[];
}

/** IdP metadata beyond this size is not metadata of one IdP. */
const MAX_METADATA_BYTES = 1024 * 1024;

/**
 * The trust settings written in the config, read now: a missing certificate file stops start-up.
 * Whatever is not set here comes from the IdP's metadata (`loadIdpTrust`).
 */
export function configuredTrust(idp: SamlIdp): Partial<IdpTrust> {
  return {
    entityId: idp.issuer,
    entryPoint: idp.entryPoint,
    certificates: idp.certificates?.map((c, i) => readIdpCertificate(c, `idps.${idp.id}.certificates[${i}]`)),
  };
}

/**
 * Completes the configured settings from the IdP's metadata (file or URL) when one is named;
 * values set in the config win, so an admin can pin certificates yet take the entry point from
 * metadata. Throws ERR_IDP_UNREACHABLE when the metadata cannot be had or lacks a setting (a
 * signing certificate whose key is too weak does not count, and is logged as refused).
 */
export async function loadIdpTrust(idp: SamlIdp, configured: Partial<IdpTrust>, log?: Logger): Promise<IdpTrust> {
  let metadata: IdpMetadata | undefined;
  const refused = ({ fingerprint, problem }: RefusedCertificate) =>
    log?.warn(
      { event: 'saml-idp-certificate-refused', idp: idp.id, metadata: idp.metadata, fingerprint, problem },
      'a signing certificate in the IdP metadata is not trusted: its key is too weak',
    );
  try {
    if (idp.metadata) metadata = await parseIdpMetadata(await readMetadata(idp.metadata), configured.entityId, refused);
  } catch (err) {
    throw new BridgeError('ERR_IDP_UNREACHABLE', {
      userMessage: sentence('err.ERR_IDP_UNREACHABLE.settings', { idp: idp.displayName }),
      hint: sentence('hint.metadata'),
      detail: { idp: idp.id, metadata: idp.metadata, error: err instanceof Error ? err.message : String(err) },
      cause: err,
    });
  }
  const trust = {
    entityId: configured.entityId ?? metadata?.entityId,
    entryPoint: configured.entryPoint ?? metadata?.entryPoint,
    certificates: configured.certificates ?? metadata?.certificates,
  };
  if (!trust.entityId || !trust.entryPoint || !trust.certificates?.length) {
    // Only reachable with metadata: the config schema requires all three otherwise.
    throw new BridgeError('ERR_IDP_UNREACHABLE', {
      userMessage: sentence('err.ERR_IDP_UNREACHABLE.incomplete', { idp: idp.displayName }),
      detail: { idp: idp.id, reason: 'metadata lacks an HTTP-Redirect SingleSignOnService, entityID or signing certificate' },
    });
  }
  return trust as IdpTrust;
}

async function readMetadata(location: string): Promise<string> {
  if (!/^https?:\/\//i.test(location)) return readFile(location, 'utf8');
  // No redirects: one could lead from the https URL the schema checked to plain http.
  const res = await fetch(location, { redirect: 'error', signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`metadata fetch answered ${res.status}`);
  const body = await res.text();
  if (Buffer.byteLength(body) > MAX_METADATA_BYTES) throw new Error('metadata larger than 1 MiB');
  return body;
}
