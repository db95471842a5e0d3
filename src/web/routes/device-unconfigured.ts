import Router from '@koa/router';
import { BridgeError, sentence } from '../../errors.js';

/**
 * Without the `issuer` section there is no key to sign CLI access tokens, so there is no CLI
 * sign-in: its paths answer 501 with a reason rather than a bare 404 the CLI could not explain.
 */
export function deviceUnconfiguredRoutes(): Router {
  const router = new Router();
  const notConfigured = async () => {
    throw new BridgeError('ERR_NOT_CONFIGURED', {
      userMessage: sentence('err.ERR_NOT_CONFIGURED.cli'),
      hint: sentence('hint.cliNotConfigured'),
    });
  };
  for (const path of ['/oauth/device_authorization', '/oauth/token', '/oauth/revoke', '/device', '/sessions/revoke'])
    router.post(path, notConfigured);
  for (const path of ['/device', '/api/whoami', '/api/roles', '/sessions']) router.get(path, notConfigured);
  router.post('/api/credentials', notConfigured);
  return router;
}
