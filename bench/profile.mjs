// Profiles the bridge under one route's load and prints where its CPU time goes (self time per
// function, and per package). Usage: node bench/profile.mjs ROUTE|acs [seconds], ROUTE one of the
// ids in sections/http.mjs (healthz, roles, roles-router-only, credentials-oidc, credentials-saml,
// credentials-oidc-fake, credentials-saml-fake); acs: SAML sign-ins posted as a wave (sections/logins.mjs), about 40 per second asked for
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [which = 'healthz', seconds = '5'] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'rambridge-prof-'));
process.env.BENCH_CPU_PROF = dir;
const { startEnvironment } = await import('./lib/environment.mjs');
const { httpCases } = await import('./sections/http.mjs');
const { load } = await import('./lib/load.mjs');
const env = await startEnvironment();
try {
  if (which === 'acs') {
    // SAML sign-ins in a wave (as the report times them), about `seconds` worth.
    const { acsRun } = await import('./sections/logins.mjs');
    const { benchConfig } = await import('./lib/fixture.mjs');
    const config = await benchConfig({ keys: env.keys, publicUrl: env.bridgeUrl, emulatorUrl: env.emulatorUrl, op: env.op });
    const corp = config.idps.find((i) => i.id === 'corp');
    const result = await acsRun(env, corp, Math.max(20, Number(seconds) * 40));
    console.log(`acs: ${result.acsPerSecond.toFixed(1)} sign-ins/s, bare node-saml ${result.barePerSecond.toFixed(1)}/s`);
  } else {
    const cases = httpCases(env);
    const c = cases.find((x) => x.id === which);
    if (!c) throw new Error(`no route ${which}: one of ${cases.map((x) => x.id).join(', ')}, or acs`);
    const result = await load((c.bridge ?? env.bridgeUrl) + c.path, { ...c.options, seconds: Number(seconds) });
    console.log(`${which}: ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, ${result.errors} errors`);
  }
} finally {
  await env.close();
}
// Both bridges are profiled; the one that worked is the one with the least idle time.
const idleShare = (p) => {
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  return p.samples.filter((s) => idle.has(s)).length / p.samples.length;
};
const profiles = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => ({ file: f, profile: JSON.parse(readFileSync(join(dir, f), 'utf8')) }))
  .sort((a, b) => idleShare(a.profile) - idleShare(b.profile));
const { file, profile } = profiles[0];
const dt = new Map();
for (let i = 0; i < profile.samples.length; i++)
  dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
const byFn = new Map();
const byPkg = new Map();
let total = 0;
for (const node of profile.nodes) {
  const t = dt.get(node.id) ?? 0;
  total += t;
  const { functionName, url, lineNumber } = node.callFrame;
  const short = url.replace(/^.*node_modules\//, '').replace(/^.*\/perf\//, '');
  const key = `${functionName || '(anon)'} ${short}:${lineNumber + 1}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
  const pkg = url.includes('node_modules/')
    ? url.replace(/^.*node_modules\/((@[^/]+\/)?[^/]+).*$/, '$1')
    : url.startsWith('node:')
      ? 'node'
      : url.includes('/dist/')
        ? 'rambridge'
        : functionName || '(vm)';
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
}
// Inclusive time per function (a function on the stack twice is counted once per sample path).
const children = new Map(profile.nodes.map((n) => [n.id, n.children ?? []]));
const nodesById = new Map(profile.nodes.map((n) => [n.id, n]));
const inclusive = new Map();
const keyOf = (n) =>
  `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*\/perf\//, '')}:${n.callFrame.lineNumber + 1}`;
function walk(id, onStack) {
  const node = nodesById.get(id);
  let t = dt.get(id) ?? 0;
  const key = keyOf(node);
  const first = !onStack.has(key);
  if (first) onStack.add(key);
  for (const c of children.get(id)) t += walk(c, onStack);
  if (first) {
    onStack.delete(key);
    inclusive.set(key, (inclusive.get(key) ?? 0) + t);
  }
  return t;
}
walk(profile.nodes[0].id, new Set());
const top = (m, n) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`)
    .join('\n');
console.log(`\ninclusive:\n${top(new Map([...inclusive].filter(([k]) => !k.startsWith('(root)'))), 45)}`);
console.log(`\nby package:\n${top(byPkg, 15)}\n\nby function (self):\n${top(byFn, 40)}\n\nprofile: ${join(dir, file)}`);
