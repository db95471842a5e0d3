import type { Idp } from '../config/index.js';
import { isBridgeError } from '../errors.js';
import type { Connector, ConnectorData } from '../idp/connector.js';
import { stillTrusted, type Identity } from '../idp/identity.js';
import type { Logger } from '../log.js';
import { cliSessionEnded, type CliSession, type CliSessions } from './cli-sessions.js';

/**
 * A refresh re-evaluates the user. Roles are mapped from the stored identity on every
 * API call; for IdPs with `refreshGroups` the identity itself is re-read here, with the IdP's
 * refresh token. The IdP refusing the user ends the session (the CLI hears invalid_grant); an IdP
 * that cannot be asked (down, slow, misconfigured) leaves the identity as it was, so an outage
 * at the IdP does not lock everyone out of Alibaba Cloud. A session whose IdP was removed from the
 * configuration, or now names another issuer, ends with it.
 */
export async function refreshAtIdp(
  deps: {
    sessions: CliSessions;
    connectors: ReadonlyMap<string, Connector>;
    idps: readonly Idp[];
    log: Logger;
    /** Told of a session this ended (the audit stream). */
    onRevoked?: (by: 'config' | 'idp', session: CliSession) => void;
  },
  session: CliSession,
): Promise<CliSession> {
  const { sessions, log } = deps;
  const before = session.identity;
  const connector = deps.connectors.get(before.idp);
  if (!connector || !stillTrusted(deps.idps, before)) {
    await sessions.revoke(session.sid);
    log.warn(
      { event: 'cli-session-revoked', by: 'config', sid: session.sid, idp: before.idp },
      'CLI session ended: its IdP is no longer configured',
    );
    deps.onRevoked?.('config', session);
    throw cliSessionEnded();
  }
  if (!session.connectorData?.refreshToken || !connector.refresh) return session;
  const who = { sid: session.sid, idp: before.idp, subject: before.subject, email: before.email };
  let identity: Identity;
  let connectorData: ConnectorData | undefined;
  try {
    ({ identity, connectorData } = await connector.refresh(before, session.connectorData));
  } catch (err) {
    if (isBridgeError(err, 'ERR_UPSTREAM_REFRESH_DENIED')) {
      await sessions.revoke(session.sid);
      log.warn(
        { event: 'cli-session-revoked', by: 'idp', ...who, detail: err.detail },
        'CLI session ended: the IdP refused the user on refresh',
      );
      deps.onRevoked?.('idp', session);
      throw err;
    }
    const code = isBridgeError(err) ? err.code : 'ERR_INTERNAL';
    log.warn(
      { event: 'upstream-refresh-failed', ...who, code, detail: isBridgeError(err) ? err.detail : undefined },
      'IdP refresh failed; keeping the identity from the last sign-in or refresh',
    );
    return session;
  }
  const updated = await sessions.replaceIdentity(session.sid, identity, connectorData);
  // Revoked while the IdP was being asked: nothing to hand out.
  if (!updated) throw cliSessionEnded();
  log.info(
    { event: 'upstream-refreshed', ...who, groupsBefore: before.groups, groups: identity.groups, amr: identity.amr },
    'identity re-read at the IdP',
  );
  return updated;
}
