// HTTP routes of the bridge vs a bare Koa process answering the same body, 16 connections.
import { load } from '../lib/load.mjs';

export function httpCases(env) {
  const post = (role) => ({ method: 'POST', headers: env.json, body: env.credentialsBody(role) });
  return [
    { id: 'healthz', label: 'GET /healthz', path: '/healthz', options: {}, goal: { ratio: 0.6 } },
    { id: 'roles', label: 'GET /api/roles (bearer)', path: '/api/roles', options: { headers: env.auth }, goal: { ratio: 0.4, p99: 10 } },
    {
      id: 'roles-router-only',
      label:
        '… the same route on a bridge with every middleware removed (no access log, metrics, headers, error handling): the route alone',
      path: '/api/roles',
      bridge: env.bridgeRouterOnlyUrl,
      options: { headers: env.routerOnlyAuth },
      goal: {},
    },
    // STS out of process and costing no CPU: a stand-in that verifies nothing and answers at once,
    // so these rows are the bridge's own rate (mapping, minting, STS client, audit).
    {
      id: 'credentials-oidc-fake',
      label: 'POST /api/credentials, OIDC role (mint + STS call), STS a stand-in process that verifies nothing',
      path: '/api/credentials',
      bridge: env.bridgeFakeUrl,
      options: { ...post('dev-readonly'), headers: env.fakeJson },
      goal: { rps: 1500, p99: 50, errors: 0 },
    },
    {
      id: 'credentials-saml-fake',
      label: 'POST /api/credentials, SAML role (mint + STS call), STS the same stand-in',
      path: '/api/credentials',
      bridge: env.bridgeFakeUrl,
      options: { ...post('dev-admin'), headers: env.fakeJson },
      goal: { rps: 400, p99: 50, errors: 0 },
    },
    // Rows that explain the two above. No bare Koa bound: their goals are rates, not ratios.
    {
      id: 'credentials-oidc',
      label: '… OIDC role, STS the emulator process, which checks every signature on the same two CPUs',
      path: '/api/credentials',
      options: post('dev-readonly'),
      bare: false,
      goal: {},
    },
    {
      id: 'credentials-saml',
      label: '… SAML role, STS the emulator process (XML signature checks on the same two CPUs)',
      path: '/api/credentials',
      options: post('dev-admin'),
      bare: false,
      goal: {},
    },
    {
      id: 'credentials-oidc-fake-3072',
      label: '… OIDC role, the stand-in, issuer keys RSA-3072 (`rambridge keys generate --bits 3072`)',
      path: '/api/credentials',
      bridge: env.bridge3072Url,
      options: { ...post('dev-readonly'), headers: env.json3072 },
      bare: false,
      goal: {},
    },
    {
      id: 'credentials-saml-fake-3072',
      label: '… SAML role, the stand-in, issuer keys RSA-3072',
      path: '/api/credentials',
      bridge: env.bridge3072Url,
      options: { ...post('dev-admin'), headers: env.json3072 },
      bare: false,
      goal: {},
    },
  ];
}

/** One run of every route: bare and bridge back to back, in alternating order between runs. */
export async function httpRun(env, run, seconds) {
  const out = {};
  for (const c of httpCases(env)) {
    const targets = c.bare === false ? ['bridge'] : run % 2 ? ['bridge', 'bare'] : ['bare', 'bridge'];
    const result = {};
    for (const target of targets) {
      const base = target === 'bridge' ? (c.bridge ?? env.bridgeUrl) : env.bareUrl;
      result[target] = await load(base + c.path, { ...c.options, seconds });
    }
    out[c.id] = result;
  }
  return out;
}

/** A short load on every route, so the first measured run is not the JIT's warm-up. */
export async function httpWarmUp(env) {
  for (const c of httpCases(env)) {
    await load((c.bridge ?? env.bridgeUrl) + c.path, { ...c.options, seconds: 1 });
    if (c.bare !== false) await load(env.bareUrl + c.path, { ...c.options, seconds: 1 });
  }
}
