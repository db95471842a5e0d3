import { isoSeconds } from '../../iso-time.js';
import { shellQuote } from '../../shell-quote.js';
import type { RoleInfo, CredentialsResponse } from './api.js';
import { expiresLocally, type Expiring } from './credential-cache.js';
import { formatLocalTime, formatRemaining } from './duration.js';
import { t } from '../i18n/index.js';

/** What `creds --format` can print. `summary` is the TTY default: it never shows a secret. */
export const FORMATS = ['summary', 'env', 'json', 'process', 'aliyun-profile'] as const;
export type Format = (typeof FORMATS)[number];

/** `export ALIBABA_CLOUD_…=…` lines for `eval "$(rambridge creds ROLE --format env)"`. */
export function formatEnv(credentials: CredentialsResponse): string {
  return [
    ['ALIBABA_CLOUD_ACCESS_KEY_ID', credentials.accessKeyId],
    ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', credentials.accessKeySecret],
    ['ALIBABA_CLOUD_SECURITY_TOKEN', credentials.securityToken],
  ]
    .map(([name, value]) => `export ${name}=${shellQuote(value!)}\n`)
    .join('');
}

/** Every field the server returned, for scripts. */
export function formatJson(credentials: CredentialsResponse): string {
  return `${JSON.stringify(credentials, null, 2)}\n`;
}

/**
 * The Alibaba Cloud CLI `External` mode output: the CLI unmarshals it into its profile struct (so
 * the keys are profile keys), and credentials-nodejs also reads `expiration` to know when to run
 * the command again (it refreshes when 180 s or less remain). It judges that by this machine's
 * clock, so it is told when they expire by that clock (`expiresLocally`), not the server's.
 */
export function formatProcess({ credentials, localExpiresAt }: Expiring): string {
  return `${JSON.stringify({
    mode: 'StsToken',
    access_key_id: credentials.accessKeyId,
    access_key_secret: credentials.accessKeySecret,
    sts_token: credentials.securityToken,
    expiration: isoSeconds(expiresLocally({ credentials, localExpiresAt })),
  })}\n`;
}

export interface SummaryInput {
  role: RoleInfo;
  credentials: CredentialsResponse;
  /** Their expiry by this machine's clock (credential-cache.ts): the time shown is judged as their reuse is. */
  localExpiresAt?: number;
  fromCache: boolean;
  now: number;
}

/** What a person sees on a terminal: which role, until when, and how to use it — no keys. */
export function formatSummary({ role, credentials, localExpiresAt, fromCache, now }: SummaryInput): string {
  const expires = expiresLocally({ credentials, localExpiresAt });
  const uses: Array<[string, string]> = [
    [`rambridge exec ${role.id} -- aliyun sts GetCallerIdentity`, t('summaryExec')],
    [`eval "$(rambridge creds ${role.id} --format env)"`, t('summaryEnv')],
    [`rambridge creds ${role.id} --format json`, t('summaryJson')],
  ];
  const width = Math.max(...uses.map(([command]) => command.length));
  return [
    t('summaryTitle', { role: role.id, arn: role.arn, account: role.accountName }),
    `  ${t('summaryValid', { time: formatLocalTime(expires), remaining: formatRemaining(expires - now) })}${fromCache ? t('summaryFromCache') : ''}`,
    '',
    t('summaryHowTo'),
    ...uses.map(([command, what]) => `  ${command.padEnd(width)}   ${what}`),
    '',
  ].join('\n');
}
