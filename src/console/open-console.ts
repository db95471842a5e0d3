import type { BridgeConfig } from '../config/index.js';
import type { CredentialIssuer, IssueRequest } from '../issuance/index.js';
import type { CheckedRoleRequest } from '../issuance/role-request.js';
import { resolveDestination } from './destinations.js';
import { consoleLoginUrl, getSigninToken } from './federation.js';

/** Where the browser goes to land in the console as the role. */
export type ConsoleLanding =
  /** `console: federation`: the sign-in service's Action=Login URL, with a fresh sign-in token. */
  | { kind: 'redirect'; url: string }
  /** `console: saml-post`: the browser posts this base64 SAML Response to the role-SSO endpoint. */
  | { kind: 'post'; action: string; samlResponse: string; relayState: string };

/**
 * "Open console": checks the landing page, then makes what takes the browser there. Each call does
 * its STS work once: nothing here is retried on the user's behalf (STS's own throttling retries aside).
 */
export class ConsoleOpener {
  constructor(private readonly deps: { config: BridgeConfig; credentials: CredentialIssuer; fetch?: typeof fetch }) {}

  async open(
    request: CheckedRoleRequest & Pick<IssueRequest, 'clientIp' | 'requestId' | 'connectorData'>,
    requestedDestination: unknown,
  ): Promise<ConsoleLanding> {
    const { config, credentials } = this.deps;
    const { alibaba } = config;
    const { role } = request.choice;
    const destination = resolveDestination(requestedDestination, role, alibaba);

    if (role.console === 'saml-post') {
      // The browser carries the assertion to the role-SSO endpoint; no STS call from here.
      const samlResponse = await credentials.consoleAssertion({ ...request, channel: 'web-console' });
      return {
        kind: 'post',
        action: alibaba.roleSsoUrl,
        samlResponse: Buffer.from(samlResponse).toString('base64'),
        relayState: destination,
      };
    }

    const issued = await credentials.issue({ ...request, channel: 'web-console' });
    // Minted at redirect time: a sign-in token lives 30 seconds and works once.
    const signinToken = await getSigninToken(alibaba.signinUrl, issued.credentials, this.deps.fetch);
    return {
      kind: 'redirect',
      url: consoleLoginUrl(alibaba.signinUrl, { signinToken, destination, loginUrl: `${config.server.publicUrl}/roles/${role.id}` }),
    };
  }
}
