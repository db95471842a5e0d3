import type { BridgeConfig } from '../config/index.js';
import { maxDuration } from '../issuance/role-request.js';
import type { RoleChoice } from '../mapping/index.js';
import { NAME_FIELDS, visibleRoles } from '../wire/role-filter.js';
import { ramRoleName } from '../wire/role-match.js';
import { durationOptions, type DurationOption } from './durations.js';
import { formatDateTime, formatDurationIn } from './i18n/format.js';
import { translator, type Language } from './i18n/index.js';
import type { PickerGroup, PickerRole } from './pages.js';
import type { PickerPreferences } from './role-preferences.js';

/** Recently used roles shown in the "Recent" group (favourites are shown anyway, in their own). */
export const RECENT_SHOWN = 5;

/**
 * The fields a query is matched against, in this order: account name, account alias, account id,
 * role id, RAM role name (the NAME_FIELDS), then description and granting groups. The server filter
 * (`?q=`) and the page's script (picker.js, from `data-search`, one field per line) give exactly
 * these to the same `visibleRoles`, so a query finds the same roles with and without JavaScript.
 */
export function searchFields({ role, reasons }: RoleChoice): string[] {
  const names = [role.accountName, role.accountAlias, role.accountId, role.id, ramRoleName(role)];
  if (names.length !== NAME_FIELDS) throw new Error('searchFields and NAME_FIELDS disagree');
  return [...names, role.description ?? '', ...new Set(reasons.map((r) => r.group))].map((field) => field.replace(/\s+/g, ' '));
}

export interface PickerInput {
  choices: readonly RoleChoice[];
  elevation: BridgeConfig['elevation'];
  lang: Language;
  now: number;
  /** What may be offered of the browser session (`offerableSeconds`: what is left less a margin): no duration offered is longer. */
  offerableSeconds?: number;
  /** The star's state, "last used" and the pre-selected duration come from these. */
  preferences?: PickerPreferences;
  /** Favourites and recents first, in groups of their own (the full picker); else every role under its account (a deep link). */
  grouped: boolean;
  /** The filter as typed (`?q=`): roles it does not match are rendered `hidden`, so clearing it with JavaScript brings them back. */
  query?: string;
  highlight?: string;
}

/**
 * The picker's groups, in reading order: the user's favourites (in the order they were starred),
 * then up to RECENT_SHOWN recently used roles (most recent first), then every other role under its
 * account, in configuration order. Each role appears exactly once, so `[data-role-id="x"]` names
 * one element; a group whose roles all moved up is left out.
 */
export function pickerGroups(input: PickerInput): PickerGroup[] {
  const { choices, grouped } = input;
  const preferences = grouped ? input.preferences : undefined;
  const byId = new Map(choices.map((c) => [c.role.id, c]));
  const favourites = preferences?.favourites.filter((id) => byId.has(id)) ?? [];
  const starred = new Set(favourites);
  const recents = (preferences?.recents ?? []).filter((r) => byId.has(r.roleId) && !starred.has(r.roleId)).slice(0, RECENT_SHOWN);
  const movedUp = new Set([...favourites, ...recents.map((r) => r.roleId)]);
  const visible = visibleRoles(input.query ?? '', choices.map(searchFields));
  const hidden = new Set(choices.filter((_, i) => !visible[i]).map((c) => c.role.id));

  const groups: PickerGroup[] = [];
  const t = translator(input.lang);
  const top = (kind: 'favourites' | 'recents', heading: string, ids: string[]) => {
    if (ids.length > 0)
      groups.push(
        group(
          { kind, id: kind, heading },
          ids.map((id) => pickerRole(byId.get(id)!, input, true, hidden)),
        ),
      );
  };
  top('favourites', t('roles.favourites'), favourites);
  top(
    'recents',
    t('roles.recents'),
    recents.map((r) => r.roleId),
  );

  const accounts = new Map<string, PickerGroup>();
  for (const choice of choices) {
    if (movedUp.has(choice.role.id)) continue;
    const { accountId, accountName } = choice.role;
    const account = accounts.get(accountId) ?? group({ kind: 'account', id: accountId, heading: accountName, accountId }, []);
    if (!accounts.has(accountId)) {
      accounts.set(accountId, account);
      groups.push(account);
    }
    account.roles.push(pickerRole(choice, input, false, hidden));
  }
  for (const g of groups) g.hidden = g.roles.every((r) => r.hidden);
  return groups;
}

function group(head: Omit<PickerGroup, 'roles' | 'hidden'>, roles: PickerRole[]): PickerGroup {
  return { ...head, roles, hidden: false };
}

function pickerRole(choice: RoleChoice, input: PickerInput, showAccount: boolean, hidden: ReadonlySet<string>): PickerRole {
  const { role, reasons } = choice;
  const { lang, elevation, preferences } = input;
  const t = translator(lang);
  const max = maxDuration(role, elevation);
  const durations = withLastDuration(
    durationOptions(max, lang, input.offerableSeconds),
    preferences?.lastDurations[role.id],
    Math.min(max, input.offerableSeconds ?? Infinity),
    lang,
  );
  const usedAt = preferences?.recents.find((r) => r.roleId === role.id)?.usedAt;
  return {
    id: role.id,
    arn: role.arn,
    account: showAccount ? { id: role.accountId, name: role.accountName } : undefined,
    viaLabel:
      role.via === 'chain' ? t('roles.chainedFrom', { role: role.chainFrom ?? '' }) : t('roles.via', { protocol: role.via.toUpperCase() }),
    elevated: role.elevated,
    description: role.description,
    // What the session can still get, as offered; the role's own maximum when nothing is (the page says why).
    maxLabel: formatDurationIn(lang, durations.at(-1)?.seconds ?? max),
    durations,
    reasons: reasons.map((r) => t('roles.reason', { grant: r.grant, group: r.group })).join(t('roles.listSeparator')),
    search: searchFields(choice).join('\n'),
    favourite: preferences?.favourites.includes(role.id) ?? false,
    lastUsed: usedAt
      ? { iso: usedAt, label: timeAgo(lang, input.now - Date.parse(usedAt)), full: formatDateTime(lang, Date.parse(usedAt)) }
      : undefined,
    highlighted: role.id === input.highlight,
    hidden: hidden.has(role.id),
  };
}

/**
 * The role's last duration pre-selected: it came from this picker or from `rambridge creds -d`,
 * which allows lengths the picker's steps do not have (45 min), so such a length is added as an
 * option rather than silently replaced. `rolePreferencesFor` already dropped lengths above today's
 * maximum; one longer than may be offered of the session (`limit`) is rounded down to the longest choice.
 */
function withLastDuration(options: DurationOption[], last: number | undefined, limit: number, lang: Language): DurationOption[] {
  if (last === undefined || last <= 0 || options.length === 0) return options;
  if (last > limit) return options.map((o, i) => ({ ...o, selected: i === options.length - 1 }));
  const all = options.some((o) => o.seconds === last)
    ? options
    : [...options, { seconds: last, label: formatDurationIn(lang, last), selected: false }].sort((a, b) => a.seconds - b.seconds);
  return all.map((o) => ({ ...o, selected: o.seconds === last }));
}

/**
 * `5 minutes ago`, `yesterday`, `3 天前`: the platform's own wording for the language (Intl), with
 * the space between a number and Chinese that the catalogue and the CLI write (`1 分钟前`, not `1分钟前`).
 */
export function timeAgo(lang: Language, elapsedMs: number): string {
  const seconds = Math.max(0, Math.round(elapsedMs / 1000));
  if (seconds < 60) return translator(lang)('time.underMinuteAgo');
  const format = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  const ago = (value: number, unit: Intl.RelativeTimeFormatUnit) => {
    const text = format.format(-value, unit);
    return lang === 'zh-CN' ? text.replace(/(\d)(?=[\u4e00-\u9fff])/gu, '$1 ') : text;
  };
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return ago(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return ago(hours, 'hour');
  const days = Math.floor(hours / 24);
  if (days < 60) return ago(days, 'day');
  return ago(Math.floor(days / 30), 'month');
}
