import type { Context } from 'koa';
import { setConsoleCookie } from './console.js';
import type { EmulatorDeps } from './deps.js';
import * as errors from './errors.js';
import { html } from './html.js';
import { collectParams, sendPage } from './http.js';
import { providerMetadata } from './idp-metadata.js';
import { newRoleSession } from './role-session.js';
import type { AssertionFacts, RolePair } from './saml-assertion.js';
import { parseSamlResponse, unverifiedProviderArns, verifySamlResponse } from './saml-verify.js';
import { consoleUrl } from './signin.js';
import type { PendingRoleChoice } from './state.js';

/**
 * Role-based SSO, IdP-initiated POST binding (docs/alibaba-cloud-reference.md §6): `POST /saml-role/sso` with form
 * fields `SAMLResponse` and optional `RelayState`. Validated like AssumeRoleWithSAML; with one
 * usable role the browser lands on the console, with several it first picks one
 * (`POST /saml-role/sso/choose`). RelayState must be a page of this emulator's console, standing
 * in for the real rule "an Alibaba Cloud domain".
 */

const CHOICE_COOKIE = 'emulator_role_choice';
/** Console sessions without a SessionDuration attribute last an hour (docs/alibaba-cloud-reference.md §4). */
const DEFAULT_SESSION_SECONDS = 3600;

/** `POST /saml-role/sso`: verifies the Response, then signs in or shows the role chooser. */
export function roleSso(deps: EmulatorDeps) {
  return async function handleRoleSso(ctx: Context): Promise<void> {
    const { params } = collectParams(ctx);
    if (!params.SAMLResponse) throw errors.missingParameter('SAMLResponse');
    if (params.SAMLResponse.length > 100_000) throw errors.invalidParameter('SAMLResponse', 'longer than 100,000');
    const relayState = params.RelayState ? consoleUrl(deps.origin, params.RelayState)?.href : undefined;
    if (params.RelayState && !relayState) throw errors.invalidParameter('RelayState', `RelayState ${params.RelayState}`);

    const now = deps.clock.now();
    const { facts, roles } = await verifyForRoles(deps, params.SAMLResponse, now);
    if (!deps.state.rememberAssertion(facts.issuer, facts.id, facts.notOnOrAfter)) {
      throw errors.samlInvalid(`assertion ${facts.id} was used before`);
    }
    const choice: PendingRoleChoice = {
      roles,
      sessionName: facts.roleSessionName,
      sessionDurationSeconds: facts.sessionDuration ? Number(facts.sessionDuration) : DEFAULT_SESSION_SECONDS,
      sessionNotAfter: facts.sessionNotOnOrAfter,
      relayState,
      expiresAt: facts.notOnOrAfter,
    };
    if (roles.length === 1) return signIn(deps, ctx, choice, roles[0]!);

    // The pending choice is bound to this browser by a cookie, not carried in the form.
    ctx.cookies.set(CHOICE_COOKIE, deps.state.createRoleChoice(choice), {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.origin.startsWith('https:'),
      path: '/saml-role',
      overwrite: true,
    });
    sendPage(ctx, 'Choose a role', chooser(deps, roles));
  };
}

/** `POST /saml-role/sso/choose`: the chooser's answer, for the choice pending in this browser. */
export function roleChoice(deps: EmulatorDeps) {
  return async function handleRoleChoice(ctx: Context): Promise<void> {
    const { params } = collectParams(ctx);
    const id = ctx.cookies.get(CHOICE_COOKIE);
    const choice = id ? deps.state.takeRoleChoice(id) : undefined;
    ctx.cookies.set(CHOICE_COOKIE, null, { path: '/saml-role' });
    if (!choice) throw errors.samlExpired('no pending role choice for this browser (expired or used)');
    const picked = choice.roles.find((r) => pairValue(r) === params.role);
    if (!picked) throw errors.invalidParameter('role', `role ${params.role ?? '(none)'} was not offered`);
    signIn(deps, ctx, choice, picked);
  };
}

/**
 * Verifies the Response against each provider its Role attribute names, and returns the roles
 * that are usable: named in the verified assertion, paired with a provider whose certificate
 * verified it, existing, and trusting that provider.
 */
async function verifyForRoles(
  deps: EmulatorDeps,
  samlResponse: string,
  now: number,
): Promise<{ facts: AssertionFacts; roles: RolePair[] }> {
  const parsed = parseSamlResponse(samlResponse);
  const verifiedBy = new Set<string>();
  let facts: AssertionFacts | undefined;
  let firstError: Error | undefined;
  for (const arn of unverifiedProviderArns(parsed)) {
    const provider = deps.directory.samlProvider(arn);
    if (!provider) continue;
    try {
      facts = verifySamlResponse(parsed, await providerMetadata(provider, deps.documents), deps.directory.site, now);
      verifiedBy.add(arn);
    } catch (err) {
      firstError ??= err instanceof Error ? err : new Error(String(err));
    }
  }
  if (!facts) throw firstError ?? errors.samlProviderNotFound('no Role value names a known SAML provider');
  const context = { 'saml:recipient': [facts.recipient] };
  const usable = (pair: RolePair) =>
    verifiedBy.has(pair.providerArn) && deps.directory.role(pair.roleArn)?.trust.allows({ federated: pair.providerArn, context });
  const roles = facts.roles.filter(usable);
  if (roles.length === 0) throw errors.noFederatedPermission('no role in the assertion exists and trusts its provider');
  return { facts, roles };
}

function signIn(deps: EmulatorDeps, ctx: Context, choice: PendingRoleChoice, pair: RolePair): void {
  const role = deps.directory.role(pair.roleArn)!;
  const session = newRoleSession({
    role,
    sessionName: choice.sessionName,
    origin: 'RoleSSO',
    now: deps.clock.now(),
    durationSeconds: Math.min(choice.sessionDurationSeconds, role.maxSessionDuration),
    notAfter: choice.sessionNotAfter,
  });
  setConsoleCookie(deps, ctx, { session });
  ctx.redirect(choice.relayState ?? `${deps.origin}/console`);
}

const pairValue = (pair: RolePair) => `${pair.roleArn},${pair.providerArn}`;

function chooser(deps: EmulatorDeps, roles: RolePair[]) {
  const items = roles.map((pair) => {
    const role = deps.directory.role(pair.roleArn)!;
    const alias = deps.directory.accountAlias(role.accountId);
    return html`<li>
      <button type="submit" name="role" value="${pairValue(pair)}" data-testid="role-choice">
        <span data-testid="role-choice-name">${role.name}</span> in account
        <span data-testid="role-choice-account">${alias ? `${alias} (${role.accountId})` : role.accountId}</span>
      </button>
    </li>`;
  });
  return html`<form method="post" action="/saml-role/sso/choose" data-testid="role-chooser">
    <ul>
      ${items}
    </ul>
  </form>`;
}
