import { execFileSync } from 'node:child_process';
import { cmdQuote, fishQuote, powershellQuote, shellSnippets, SHELLS, type SnippetInput } from '../../../src/web/shell-snippets.js';

/**
 * The credentials page's lines for each shell take every value literally. bash runs here; fish,
 * PowerShell and cmd are not installed on CI, so their quoting is checked against each shell's
 * documented rules, with the characters each one treats specially: ' " % $ ` \ and the
 * typographic quotes PowerShell also honours.
 */
const TRICKY = ['STS.plain', "it's", 'say "hi"', '100%', '%PATH%', '$HOME $(id) `id`', 'back\\slash', 'a‘b’c', "''"];

const input = (value: string): SnippetInput => ({
  accessKeyId: value,
  accessKeySecret: `${value}-secret`,
  securityToken: `${value}-token`,
  profileName: 'rambridge-dev-readonly',
  region: 'cn-hangzhou',
  language: 'en',
});

test('bash/zsh: the exports, run by bash, set exactly the values', () => {
  for (const value of [...TRICKY, 'line\nbreak', '']) {
    const { env } = shellSnippets('bash', input(value));
    const script = `${env}\nprintf '%s\\0' "$ALIBABA_CLOUD_ACCESS_KEY_ID" "$ALIBABA_CLOUD_ACCESS_KEY_SECRET" "$ALIBABA_CLOUD_SECURITY_TOKEN"`;
    const out = execFileSync('bash', ['--norc', '-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(out.split('\0').slice(0, -1)).toEqual([value, `${value}-secret`, `${value}-token`]);
  }
});

test('bash/zsh: the aliyun configure set line, run by bash, passes each value as one argument', () => {
  const { configure } = shellSnippets('bash', input('it\'s $HOME "x" 100%'));
  // `aliyun` stands in as a function that prints its arguments, one per line.
  const script = `aliyun() { printf '%s\\n' "$@"; }\n${configure}`;
  const args = execFileSync('bash', ['--norc', '-c', script], { encoding: 'utf8' }).split('\n').slice(0, -1);
  expect(args).toEqual([
    'configure',
    'set',
    '--profile',
    'rambridge-dev-readonly',
    '--mode',
    'StsToken',
    '--region',
    'cn-hangzhou',
    '--access-key-id',
    `it's $HOME "x" 100%`,
    '--access-key-secret',
    `it's $HOME "x" 100%-secret`,
    '--sts-token',
    `it's $HOME "x" 100%-token`,
    '--language',
    'en',
  ]);
});

test("fish: single quotes, in which only \\\\ and \\' are escapes", () => {
  expect(fishQuote('STS.plain')).toBe("'STS.plain'");
  expect(fishQuote("it's")).toBe("'it\\'s'");
  expect(fishQuote('back\\slash')).toBe("'back\\\\slash'");
  expect(fishQuote('$HOME "x" 100%')).toBe(`'$HOME "x" 100%'`);
  // Read back by fish's rule: inside '…', \\ is \ and \' is ', nothing else is special.
  const unfish = (q: string) => q.slice(1, -1).replace(/\\([\\'])/g, '$1');
  for (const value of TRICKY) expect(unfish(fishQuote(value))).toBe(value);
  expect(shellSnippets('fish', input('v')).env).toBe(
    "set -gx ALIBABA_CLOUD_ACCESS_KEY_ID 'v'\nset -gx ALIBABA_CLOUD_ACCESS_KEY_SECRET 'v-secret'\nset -gx ALIBABA_CLOUD_SECURITY_TOKEN 'v-token'",
  );
});

test('PowerShell: single quotes (no $ or backtick expansion), every kind of single quote doubled', () => {
  expect(powershellQuote('$HOME `id` "x" 100%')).toBe(`'$HOME \`id\` "x" 100%'`);
  expect(powershellQuote("it's")).toBe("'it''s'");
  expect(powershellQuote('a‘b’c')).toBe("'a‘‘b’’c'");
  // Read back by PowerShell's rule: inside '…', two quote characters of that family are one.
  const unps = (q: string) => q.slice(1, -1).replace(/(['\u2018\u2019\u201A\u201B])\1/g, '$1');
  for (const value of TRICKY) expect(unps(powershellQuote(value))).toBe(value);
  expect(shellSnippets('powershell', input('v')).env).toBe(
    "$Env:ALIBABA_CLOUD_ACCESS_KEY_ID = 'v'\n$Env:ALIBABA_CLOUD_ACCESS_KEY_SECRET = 'v-secret'\n$Env:ALIBABA_CLOUD_SECURITY_TOKEN = 'v-token'",
  );
  expect(shellSnippets('powershell', input('v')).configure).toContain("--sts-token 'v-token' --language en");
});

test('cmd: set "NAME=value"; a value with % or " (which cmd cannot take literally) gets no line at all', () => {
  expect(shellSnippets('cmd', input("it's $HOME & <x> | ^")).env).toBe(
    [
      `set "ALIBABA_CLOUD_ACCESS_KEY_ID=it's $HOME & <x> | ^"`,
      `set "ALIBABA_CLOUD_ACCESS_KEY_SECRET=it's $HOME & <x> | ^-secret"`,
      `set "ALIBABA_CLOUD_SECURITY_TOKEN=it's $HOME & <x> | ^-token"`,
    ].join('\n'),
  );
  expect(shellSnippets('cmd', input('v')).configure).toContain('--access-key-id "v" --access-key-secret "v-secret"');
  for (const value of ['100%', '%PATH%', 'say "hi"', 'line\nbreak']) {
    expect(cmdQuote(value)).toBeUndefined();
    expect(shellSnippets('cmd', input(value))).toEqual({ shell: 'cmd' });
  }
});

test('every shell names the same profile, region and aliyun language', () => {
  for (const shell of SHELLS) {
    const { configure } = shellSnippets(shell, { ...input('v'), language: 'zh' });
    expect(configure).toMatch(/^aliyun configure set --profile ['"]?rambridge-dev-readonly['"]? --mode StsToken --region cn-hangzhou /);
    expect(configure).toMatch(/ --language zh$/);
  }
});
