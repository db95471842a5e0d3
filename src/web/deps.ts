import type { Clock } from '../clock.js';
import type { BridgeConfig } from '../config/index.js';
import type { Connector } from '../idp/connector.js';
import type { AuditLog, CredentialIssuer } from '../issuance/index.js';
import type { BridgeIssuer } from '../issuer/index.js';
import type { RoleMapper } from '../mapping/index.js';
import type { Store } from '../store/index.js';
import type { Logger } from '../log.js';
import type { LoginFlows } from './login-flow.js';
import type { RefusedSignIns } from './refused-sign-ins.js';
import type { Refusals } from './refusals.js';
import type { Metrics } from './metrics.js';
import type { RoleActions } from './role-actions.js';
import type { Views } from './views.js';

/** Everything routes need, built once by createApp. */
export interface WebDeps {
  config: BridgeConfig;
  store: Store;
  logger: Logger;
  clock: Clock;
  connectors: Map<string, Connector>;
  mapper: RoleMapper;
  metrics: Metrics;
  views: Views;
  flows: LoginFlows;
  /** Refused sign-in answers per client address: one count for SAML and OIDC alike. */
  refusedSignIns: RefusedSignIns;
  /** The audit stream: security events (sign-in, CLI sessions) are written to it by the routes. */
  audit: AuditLog;
  /** Records refused requests (audit and metric) that a route answers with a page of its own. */
  refusals: Refusals;
  actions: RoleActions;
  /** Makes STS credentials for a checked role request; absent without issuer and STS. */
  credentials?: CredentialIssuer;
  /** The bridge as issuer toward RAM; absent when `issuer` is not configured. */
  issuer?: BridgeIssuer;
  /** Endpoints other parts add to the discovery document (the device flow). */
  discoveryExtras?: Record<string, unknown>;
}
