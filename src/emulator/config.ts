import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { expandEnv, type Env } from '../config/load.js';
import { ConfigInvalid, formatPath, problemsFromZod, type ConfigProblem } from '../config/problems.js';
import { parseProviderArn, providerArn } from './arn.js';
import { emulatorConfigSchema, type EmulatorConfig } from './config-schema.js';
import { fetchUrlProblem } from './url-rules.js';

export type { EmulatorConfig } from './config-schema.js';

/**
 * Loading the emulator's YAML the way the bridge loads its own: `${VAR}` / `${VAR:-default}`
 * expanded in string values, then every problem reported at once with its path
 * (`accounts[0].roles[2].trustPolicy.Statement[0].Effect: …`).
 */

/** Reads, expands and validates one emulator config file. Throws ConfigInvalid with every problem. */
export async function loadEmulatorConfig(file: string, env: Env): Promise<EmulatorConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigInvalid(file, [{ path: '(file)', message: `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }]);
  }
  return parseEmulatorConfig(text, env, file);
}

/** Parses, expands and validates YAML text; `source` names it in the error. */
export function parseEmulatorConfig(text: string, env: Env, source = 'emulator config'): EmulatorConfig {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigInvalid(
      source,
      doc.errors.map((e) => ({ path: `(line ${e.linePos?.[0]?.line ?? '?'})`, message: e.message.split('\n')[0]! })),
    );
  }
  const envProblems: ConfigProblem[] = [];
  const expanded = expandEnv(doc.toJS(), env, [], envProblems);
  const result = validateEmulatorConfig(expanded);
  if (result.ok && envProblems.length === 0) return result.config;
  // A missing variable already explains why the value at its path is empty or invalid.
  const unset = new Set(envProblems.map((p) => p.path));
  const rest = result.ok ? [] : result.problems.filter((p) => !unset.has(p.path));
  throw new ConfigInvalid(source, [...envProblems, ...rest]);
}

/** Validates an already-parsed configuration object (tests build them in code). */
export function validateEmulatorConfig(value: unknown): { ok: true; config: EmulatorConfig } | { ok: false; problems: ConfigProblem[] } {
  const parsed = emulatorConfigSchema.safeParse(value);
  if (!parsed.success) return { ok: false, problems: problemsFromZod(parsed.error.issues) };
  const problems = crossCheck(parsed.data);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: parsed.data };
}

function crossCheck(config: EmulatorConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const problem = (path: PropertyKey[], message: string) => problems.push({ path: formatPath(path), message });
  const duplicates = (path: PropertyKey[], names: string[], what: string) =>
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) problem([...path, i], `duplicate ${what} ${n}`);
    });

  duplicates(
    ['accounts'],
    config.accounts.map((a) => a.id),
    'account id',
  );
  const keyIds = config.accounts.flatMap((a) => a.users.flatMap((u) => u.accessKeys.map((k) => k.id)));
  keyIds.forEach((id, i) => {
    if (keyIds.indexOf(id) !== i) problem(['accounts'], `AccessKeyId ${id} is declared twice`);
  });

  const providers = new Set(
    config.accounts.flatMap((a) => [
      ...a.samlProviders.map((p) => providerArn('saml-provider', a.id, p.name)),
      ...a.oidcProviders.map((p) => providerArn('oidc-provider', a.id, p.name)),
    ]),
  );

  config.accounts.forEach((account, a) => {
    const at = (...rest: PropertyKey[]) => ['accounts', a, ...rest];
    duplicates(
      at('roles'),
      account.roles.map((r) => r.name),
      'role',
    );
    duplicates(
      at('users'),
      account.users.map((u) => u.name),
      'user',
    );
    duplicates(
      at('samlProviders'),
      account.samlProviders.map((p) => p.name),
      'SAML provider',
    );
    duplicates(
      at('oidcProviders'),
      account.oidcProviders.map((p) => p.name),
      'OIDC provider',
    );

    account.samlProviders.forEach((p, i) => {
      const why = p.metadataUrl === undefined ? undefined : fetchUrlProblem(p.metadataUrl, config.allowInsecureLoopbackIssuers);
      if (why) problem(at('samlProviders', i, 'metadataUrl'), why);
    });
    account.oidcProviders.forEach((p, i) => {
      const why = fetchUrlProblem(p.issuer, config.allowInsecureLoopbackIssuers) ?? issuerShapeProblem(p.issuer);
      if (why) problem(at('oidcProviders', i, 'issuer'), why);
    });
    account.roles.forEach((role, r) =>
      role.trustPolicy.Statement.forEach((s, st) =>
        (s.Principal.Federated ?? []).forEach((arn, f) => {
          const kind = parseProviderArn(arn, 'saml-provider') ? 'SAML' : 'OIDC';
          const path = at('roles', r, 'trustPolicy', 'Statement', st, 'Principal', 'Federated', f);
          if (!providers.has(arn)) problem(path, `no ${kind} provider ${arn} is declared`);
        }),
      ),
    );
  });
  return problems;
}

/** RAM's IssuerUrl rules beyond the scheme: no query, fragment or `@` (docs/alibaba-cloud-reference.md §5). */
function issuerShapeProblem(issuer: string): string | undefined {
  const url = new URL(issuer);
  return url.search || url.hash || issuer.includes('@') ? 'an issuer has no query, fragment or @' : undefined;
}
