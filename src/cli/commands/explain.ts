import type { Command } from 'commander';
import { loadMappingFile, type MappingConfig } from '../../config/index.js';
import type { Identity } from '../../idp/identity.js';
import { RoleMapper, type DeniedGrant, type GrantReason } from '../../mapping/index.js';
import { exitOnConfigProblems } from '../config-errors.js';
import { helpText } from '../i18n/help.js';
import { t } from '../i18n/index.js';

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
      return `${t('explainGranted', { role: opts.role, arn: explanation.choice.role.arn })}\n${explanation.choice.reasons.map(describeReason).join('')}`;
    }
    if (!explanation.role) return `${t('explainNoSuchRole', { role: opts.role })}\n`;
    if (explanation.denials.length === 0) return `${t('explainNoGrant', { role: opts.role })}\n`;
    return `${t('explainNotGranted', { role: opts.role, arn: explanation.role.arn })}\n${explanation.denials.map(describeDenial).join('')}`;
  }
  if (opts.json) {
    return `${JSON.stringify(
      choices.map((c) => ({ role: c.role.id, arn: c.role.arn, reasons: c.reasons })),
      null,
      2,
    )}\n`;
  }
  // The group names as the bridge received them, commas and spaces included: ", " in English.
  if (choices.length === 0) return `${t('explainNoRoles', { groups: identity.groups.join(t('listSeparator')) })}\n`;
  // Each role's line starts with its id (scripts and the no-roles page's test read the first word).
  return choices.map((c) => `${c.role.id}  ${c.role.arn}\n${c.reasons.map(describeReason).join('')}`).join('');
}

/** A name from the configuration or the identity, quoted the current language's way. */
const quoted = (text: string) => t('explainQuoted', { text });

function describeReason(r: GrantReason): string {
  return `  ${t('explainReason', { grant: r.grant, group: quoted(r.group), pattern: quoted(r.pattern) })}\n`;
}

function describeDenial(d: DeniedGrant): string {
  switch (d.why) {
    case 'no-matching-group':
      return `  ${t('explainNeedsGroup', { grant: d.grant, groups: d.needed.map(quoted).join(t('listSeparator')) })}\n`;
    case 'idp':
      return `  ${t('explainNeedsIdp', { grant: d.grant, idps: d.needed.map(quoted).join(t('explainOr')) })}\n`;
    case 'email-domain':
      return `  ${t('explainNeedsEmail', { grant: d.grant, domains: d.needed.join(t('listSeparator')) })}\n`;
    case 'mfa-required':
      return `  ${t('explainNeedsMfa', { grant: d.grant })}\n`;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
