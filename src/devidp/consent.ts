import type { Interaction, InteractionResults, Provider } from 'oidc-provider';

/**
 * Grants what the consent prompt found missing, without asking: every client of the development IdP
 * is first-party (the bridge), the way a corporate IdP pre-approves its own applications. Mirrors
 * oidc-provider's example/routes/koa.js "confirm" step, minus the page.
 */
export async function grantFirstPartyConsent(provider: Provider, interaction: Interaction): Promise<InteractionResults> {
  const { session, params, prompt, grantId } = interaction;
  if (!session) throw new TypeError('consent prompt without a signed-in session');

  // An existing grant (same session, same client) is extended rather than replaced.
  const grant =
    (grantId ? await provider.Grant.find(grantId) : undefined) ??
    new provider.Grant({ accountId: session.accountId, clientId: params.client_id });

  const { missingOIDCScope, missingOIDCClaims } = prompt.details;
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);

  const savedId = await grant.save();
  return { consent: savedId === grantId ? {} : { grantId: savedId } };
}
