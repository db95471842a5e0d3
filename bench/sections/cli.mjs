// The cached `rambridge creds ROLE --format process --server URL --duration D` (what the aliyun CLI
// runs before every command, from an External profile) vs `node -e 0`, both as fresh processes, interleaved.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { systemClock } from '../../dist/clock.js';
import { createContext } from '../../dist/cli/client/context.js';
import { formatDurationFlag } from '../../dist/cli/client/duration.js';

const BIN = new URL('../../bin/rambridge.js', import.meta.url).pathname;

/** A logged-in client home whose cache holds credentials for `role`, written by the client's own code. */
export async function cliSetup(env, role) {
  const home = mkdtempSync(join(tmpdir(), 'rambridge-bench-home-'));
  const ctx = createContext({ HOME: home }, { clock: systemClock });
  const server = env.bridgeUrl;
  const user = { idp: 'demo', subject: 'alice', email: 'alice@example.com' };
  await ctx.settings.write({ server });
  await ctx.sessions.put(server, {
    tokenEndpoint: `${server}/oauth/token`,
    accessToken: env.token,
    accessTokenExpiresAt: Date.now() + 600_000,
    refreshToken: 'unused-by-the-cached-path',
    user,
  });
  await ctx.roleBook.saveCatalogue(server, 'demo/alice', env.rolesBody.roles);
  const info = env.rolesBody.roles.find((r) => r.id === role);
  const durationSeconds = Math.min(3600, info.maxSessionDuration);
  await ctx.cache.put({ server, user: 'demo/alice', role, durationSeconds }, env.credentials);
  // The command line `rambridge configure-aliyun --duration …` writes into an External profile.
  return { home, args: ['creds', role, '--format', 'process', '--server', server, '--duration', formatDurationFlag(durationSeconds)] };
}

function timeProcess(args, envVars) {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { env: envVars, encoding: 'utf8' });
  const ms = performance.now() - start;
  return { ms, r };
}

export function cliRun(setup, n) {
  const envVars = { PATH: process.env.PATH, HOME: setup.home };
  const creds = [];
  const bare = [];
  for (let i = 0; i < n; i++) {
    const c = timeProcess([BIN, ...setup.args], envVars);
    if (c.r.status !== 0 || !c.r.stdout.includes('"access_key_id"')) throw new Error(`creds failed: ${c.r.stderr}`);
    creds.push(c.ms);
    bare.push(timeProcess(['-e', '0'], envVars).ms);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { credsMs: med(creds), nodeMs: med(bare) };
}
