import type { Command } from 'commander';
import { loadMappingFile, type MappingConfig } from '../../config/index.js';
import type { Identity } from '../../idp/identity.js';
import { RoleMapper, type DeniedGrant } from '../../mapping/index.js';
import { exitOnConfigProblems } from '../config-errors.js';
import { helpText } from '../i18n/help.js';

interface ExplainOptions {
  config: string;
  groups: string;
  /** One group each, taken whole: a group whose name holds a comma. */
  group?: string[];
  idp?: string;
  email?: string;
  amr?: string;
  role?: string;
  json?: boolean;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description(helpText('explain.description'))
    .requiredOption('-c, --config <file>', helpText('explain.config'))
    .option('-g, --groups <list>', helpText('explain.groups'), '')
    .option('--group <name>', helpText('explain.group'), (name: string, names: string[]) => [...names, name], [] as string[])
    .option('--idp <id>', helpText('explain.idp'))
    .option('-e, --email <email>', helpText('explain.email'))
    .option('--amr <list>', helpText('explain.amr'))
    .option('-r, --role <id>', helpText('explain.role'))
    .option('--json', helpText('opt.json'))
    .action(async (opts: ExplainOptions) => {
      // Only the mapping: explain runs where the production secrets the rest of the file names are not set.
      const config = await loadMappingFile(opts.config, process.env).catch(exitOnConfigProblems);
      process.stdout.write(explain(config, opts));
    });
}

/** The text (or JSON) `rambridge explain` prints; pure so tests can call it. */
export function explain(config: Pick<MappingConfig, 'roles' | 'grants'>, opts: Omit<ExplainOptions, 'config'>): string {
  const identity: Identity = {
    // Without --idp the user signed in through no configured IdP: grants limited by when.idps say so.
    idp: opts.idp ?? '',
    issuer: 'explain',
    subject: 'explain',
    email: opts.email,
    groups: [...splitList(opts.groups), ...(opts.group ?? [])],
    amr: splitList(opts.amr ?? ''),
  };
  const mapper = new RoleMapper(config.roles, config.grants);
  const choices = mapper.rolesFor(identity);
  if (opts.role !== undefined) {
    const explanation = mapper.explain(identity, opts.role);
    if (opts.json) return `${JSON.stringify(explanation, null, 2)}\n`;
    if (explanation.granted) {
      return `GRANTED ${opts.role} (${explanation.choice.role.arn})\n${explanation.choice.reasons
        .map((r) => `  by grant ${r.grant}: group "${r.group}" matches "${r.pattern}"\n`)
        .join('')}`;
    }
    if (!explanation.role) return `NOT GRANTED ${opts.role}: no role with this id is configured\n`;
    if (explanation.denials.length === 0) return `NOT GRANTED ${opts.role}: no grant names this role\n`;
    return `NOT GRANTED ${opts.role} (${explanation.role.arn})\n${explanation.denials.map(describeDenial).join('')}`;
  }
  if (opts.json) {
    return `${JSON.stringify(
      choices.map((c) => ({ role: c.role.id, arn: c.role.arn, reasons: c.reasons })),
      null,
      2,
    )}\n`;
  }
  if (choices.length === 0) return `No roles for groups [${identity.groups.join(', ')}].\n`;
  return choices
    .map(
      (c) =>
        `${c.role.id}  ${c.role.arn}\n${c.reasons.map((r) => `  by grant ${r.grant}: group "${r.group}" matches "${r.pattern}"\n`).join('')}`,
    )
    .join('');
}

function describeDenial(d: DeniedGrant): string {
  switch (d.why) {
    case 'no-matching-group':
      return `  grant ${d.grant}: needs one of the groups ${d.needed.map((n) => `"${n}"`).join(', ')}\n`;
    case 'idp':
      return `  grant ${d.grant}: groups match, but only when signed in through IdP ${d.needed.map((n) => `"${n}"`).join(' or ')} (--idp)\n`;
    case 'email-domain':
      return `  grant ${d.grant}: groups match, but the email must be in ${d.needed.join(', ')}\n`;
    case 'mfa-required':
      return `  grant ${d.grant}: groups match, but it requires MFA (amr)\n`;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
