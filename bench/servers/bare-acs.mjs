// A second bound for the SAML ACS: bare Koa reading the form and calling node-saml's
// validatePostResponseAsync with the bridge's options (BENCH_SAML_IDP: the IdP's validated
// configuration), then redirecting. Posted to by the same client as the bridge's ACS, it shows what
// the HTTP transport of a 15 KB form costs on its own; nothing else of the bridge's is done.
// GET /loop-delay?action=start|stop measures its event-loop delay as bench/servers/bridge.mjs does.
import { Buffer } from 'node:buffer';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import Koa from 'koa';
import { SAML } from '@node-saml/node-saml';
import { nodeSamlConfig } from '../../dist/idp/saml/node-saml.js';
import { configuredTrust, loadIdpTrust } from '../../dist/idp/saml/trust.js';

const idp = JSON.parse(process.env.BENCH_SAML_IDP);
const saml = new SAML(nodeSamlConfig(idp, await loadIdpTrust(idp, configuredTrust(idp))));
const app = new Koa();
const delay = monitorEventLoopDelay({ resolution: 1 });
app.use(async (ctx, next) => {
  if (ctx.path !== '/loop-delay') return next();
  if (ctx.query.action === 'start') {
    delay.reset();
    delay.enable();
    ctx.body = {};
  } else {
    delay.disable();
    ctx.body = { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
  }
});
app.use(async (ctx) => {
  const chunks = [];
  for await (const chunk of ctx.req) chunks.push(chunk);
  const SAMLResponse = new URLSearchParams(Buffer.concat(chunks).toString()).get('SAMLResponse');
  const { profile } = await saml.validatePostResponseAsync({ SAMLResponse });
  if (!profile) throw new Error('node-saml returned no profile');
  ctx.redirect('/');
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once('SIGTERM', () => process.exit(0));
