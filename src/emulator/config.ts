import { loadYamlConfig, parseYamlConfig, type Env, type Validated } from '../config/load.js';
import { formatPath, problemsFromZod, type ConfigProblem } from '../config/problems.js';
import { parseProviderArn, providerArn } from './arn.js';
import { emulatorConfigSchema, type EmulatorConfig } from './config-schema.js';
import { fetchUrlProblem } from './url-rules.js';

export type { EmulatorConfig } from './config-schema.js';

/** Reads, expands and validates one emulator config file, as the bridge loads its own (config/load.ts). */
export function loadEmulatorConfig(file: string, env: Env): Promise<EmulatorConfig> {
  return loadYamlConfig(file, env, validateEmulatorConfig);
}

/** The emulator's config from YAML text; `source` names it in the error. */
export function parseEmulatorConfig(text: string, env: Env, source = 'emulator config'): EmulatorConfig {
  return parseYamlConfig(text, env, validateEmulatorConfig, source);
}

/** Validates an already-parsed configuration object (tests build them in code). */
export function validateEmulatorConfig(value: unknown): Validated<EmulatorConfig> {
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
