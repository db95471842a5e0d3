/**
 * The interaction pages oidc-provider sends the browser to (replacing its devInteractions):
 *
 *   GET  /interaction/:uid         prompt "login"   → the sign-in form
 *                                  prompt "consent" → granted at once (consent.ts), back to the provider
 *   POST /interaction/:uid/login   right password   → back to the provider, signed in
 *                                  wrong password   → the form again, 200, one fixed message
 */
import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import { errors, type Interaction, type InteractionResults, type Provider } from 'oidc-provider';

import type { Logger } from '../log.js';
import { grantFirstPartyConsent } from './consent.js';
import type { PageSender } from './respond.js';
import { amrFor, type UserDirectory } from './users.js';
import { errorPage, loginPage } from './views.js';

export interface InteractionDeps {
  provider: Provider;
  directory: UserDirectory;
  send: PageSender;
  logger: Logger;
}

/** The same words whether the username or the password was wrong, so the form does not reveal which. */
const LOGIN_FAILED = 'Invalid username or password.';

const formValue = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/** What the routes below are called with: a request with its path parameters (`uid`). */
type RouteContext = Context & { params: Record<string, string> };

export function interactionRoutes({ provider, directory, send, logger }: InteractionDeps): ReturnType<Router['routes']> {
  const router = new Router();

  /** An expired or unknown interaction is the user's situation, not a server fault: say so on a page. */
  async function renderSessionErrors(ctx: RouteContext, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      if (!(err instanceof errors.SessionNotFound)) throw err;
      logger.info({ reason: err.error_description }, 'dev IdP interaction session not found');
      send(ctx, errorPage('Sign-in session not found', 'it may have expired or been completed already.'), err.status);
    }
  }

  async function loadInteraction(ctx: RouteContext): Promise<Interaction> {
    const interaction = await provider.interactionDetails(ctx.req, ctx.res);
    // The interaction cookie is path-scoped to its own uid; any other uid in the URL is stale or forged.
    if (interaction.uid !== ctx.params.uid) throw new errors.SessionNotFound('interaction uid mismatch');
    return interaction;
  }

  async function resume(ctx: RouteContext, result: InteractionResults, merge: boolean): Promise<void> {
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: merge });
    ctx.status = 303;
    ctx.redirect(returnTo);
  }

  function showLogin(ctx: RouteContext, interaction: Interaction, error?: string, login?: string): void {
    const hint = interaction.params.login_hint;
    send(
      ctx,
      loginPage({
        uid: interaction.uid,
        clientId: interaction.params.client_id,
        error,
        login: login ?? (typeof hint === 'string' ? hint : undefined),
        users: directory.users,
      }),
    );
  }

  router.get('/interaction/:uid', renderSessionErrors, async function showPrompt(ctx, next) {
    const interaction = await loadInteraction(ctx);
    switch (interaction.prompt.name) {
      case 'login':
        return showLogin(ctx, interaction);
      case 'consent':
        // Safe on a GET: it only grants what this session's own pending request asked for.
        return resume(ctx, await grantFirstPartyConsent(provider, interaction), true);
      default:
        await next();
    }
  });

  router.post(
    '/interaction/:uid/login',
    renderSessionErrors,
    bodyParser({ enableTypes: ['form'], formLimit: '16kb' }),
    async function checkPassword(ctx) {
      const interaction = await loadInteraction(ctx);
      if (interaction.prompt.name !== 'login') throw new errors.SessionNotFound('no login prompt pending');

      const login = formValue(ctx.request.body, 'login');
      const user = directory.authenticate(login, formValue(ctx.request.body, 'password'));
      if (!user) {
        logger.info({ clientId: interaction.params.client_id }, 'dev IdP sign-in failed');
        return showLogin(ctx, interaction, LOGIN_FAILED, login);
      }

      logger.info({ sub: user.sub, clientId: interaction.params.client_id }, 'dev IdP sign-in succeeded');
      // remember: false keeps the IdP session to the browser session, so switching demo users is easy.
      const result = { login: { accountId: user.sub, amr: amrFor(user), remember: false } };
      return resume(ctx, result, false);
    },
  );

  return router.routes();
}
