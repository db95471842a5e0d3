import { shellQuote } from '../shell-quote.js';

/**
 * The credentials page's lines for each shell: the three environment variables, and an
 * `aliyun configure set … --mode StsToken` command that writes the same keys as a profile. Each
 * shell gets its own quoting, so a value is taken literally whatever it contains. STS values are
 * base64 and IDs in practice, but nothing here relies on that.
 */
export const SHELLS = ['bash', 'fish', 'powershell', 'cmd'] as const;
export type Shell = (typeof SHELLS)[number];

/** The tabs' names: product names, the same in every language (so not in the catalogues). */
export const SHELL_NAMES: Readonly<Record<Shell, string>> = { bash: 'bash / zsh', fish: 'fish', powershell: 'PowerShell', cmd: 'cmd' };

export interface SnippetInput {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  profileName: string;
  region: string;
  /** The aliyun CLI's own language: `en` or `zh`. */
  language: 'en' | 'zh';
}

export interface ShellSnippets {
  shell: Shell;
  /** Undefined where the shell cannot take a value literally (cmd and `%` or `"`): the page says so. */
  env?: string;
  configure?: string;
}

const ENV_NAMES = ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALIBABA_CLOUD_SECURITY_TOKEN'] as const;

/**
 * fish: inside single quotes only `\\` and `\'` are escapes (fish's own rule; `'\''` as in POSIX
 * also works there, but this is the form fish documents).
 */
export function fishQuote(value: string): string {
  return `'${value.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

/**
 * PowerShell: a single-quoted string expands nothing (`$`, backtick); a quote inside is doubled.
 * PowerShell also takes the typographic single quotes (U+2018–U+201B) as quotes, so those double too.
 */
export function powershellQuote(value: string): string {
  return `'${value.replace(/['\u2018\u2019\u201A\u201B]/g, (c) => c + c)}'`;
}

/**
 * cmd.exe: inside `"…"` the operators `& | < > ^` are literal, but `%NAME%` is expanded before
 * quotes are looked at and cannot be escaped on an interactive command line, and a `"` inside
 * ends the quoting. A value with either (or a line break) cannot be written safely: undefined.
 */
export function cmdQuote(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  return /["%\x00-\x1f\x7f]/.test(value) ? undefined : `"${value}"`;
}

const QUOTES: Record<Shell, (value: string) => string | undefined> = {
  bash: shellQuote,
  fish: fishQuote,
  powershell: powershellQuote,
  cmd: cmdQuote,
};

function envLine(shell: Shell, name: string, quoted: string): string {
  switch (shell) {
    case 'bash':
      return `export ${name}=${quoted}`;
    case 'fish':
      return `set -gx ${name} ${quoted}`;
    case 'powershell':
      return `$Env:${name} = ${quoted}`;
    case 'cmd':
      // `set "NAME=value"`: the quotes around the whole assignment keep them out of the value.
      return `set "${name}=${quoted.slice(1, -1)}"`;
  }
}

export function shellSnippets(shell: Shell, input: SnippetInput): ShellSnippets {
  const quote = QUOTES[shell];
  const values = [input.accessKeyId, input.accessKeySecret, input.securityToken].map(quote);
  const [id, secret, token] = values;
  const profile = quote(input.profileName);
  if (id === undefined || secret === undefined || token === undefined || profile === undefined) return { shell };
  const env = ENV_NAMES.map((name, i) => envLine(shell, name, values[i]!)).join('\n');
  // Flags as the aliyun CLI documents them for non-interactive StsToken profiles (docs/alibaba-cloud-reference.md §7).
  const configure = [
    'aliyun configure set',
    `--profile ${profile}`,
    '--mode StsToken',
    `--region ${input.region}`,
    `--access-key-id ${id}`,
    `--access-key-secret ${secret}`,
    `--sts-token ${token}`,
    `--language ${input.language}`,
  ].join(' ');
  return { shell, env, configure };
}
