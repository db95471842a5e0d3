import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createContext } from '../../../src/cli/client/context.js';
import { ROLES } from '../../unit/cli/fixtures.js';

/** The built `rambridge` command (npm test builds dist/ first). */
const bin = fileURLToPath(new URL('../../../bin/rambridge.js', import.meta.url));
const SERVER = 'https://rambridge.example.com';

let home: string;
let path: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'rambridge-completion-'));
  // `rambridge` on PATH, as installed: the scripts call it for role names.
  const binDir = join(home, 'bin');
  const ctx = createContext({ HOME: home });
  await ctx.settings.update(() => ({ server: SERVER }));
  await ctx.roleBook.saveCatalogue(SERVER, 'okta/u-1', ROLES, Date.now());
  await promisify(execFile)('mkdir', ['-p', binDir]);
  writeFileSync(join(binDir, 'rambridge'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  chmodSync(join(binDir, 'rambridge'), 0o755);
  path = `${binDir}:${process.env.PATH}`;
});

async function bash(script: string): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', ['-c', script], { env: { PATH: path, HOME: home } });
  return stdout;
}

/** What bash offers after typing `words` (the last one being completed). */
function complete(...words: string[]): Promise<string> {
  const quoted = words.map((w) => `'${w}'`).join(' ');
  return bash(
    `source <(rambridge completion bash)\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _rambridge; echo "\${COMPREPLY[*]}"`,
  ).then((s) => s.trim());
}

describe('rambridge completion bash', () => {
  test('commands, then their flags', async () => {
    expect(await complete('rambridge', 'co')).toBe('configure-aliyun console completion');
    expect((await complete('rambridge', 'login', '--')).split(' ')).toEqual(expect.arrayContaining(['--no-browser', '--qr', '--server']));
  });

  test('role names from the cached role list: as the role argument and after --role', async () => {
    expect(await complete('rambridge', 'creds', 'dev')).toBe('dev-admin dev-readonly');
    expect(await complete('rambridge', 'credential-server', '--role', 'prod-')).toBe('prod-ops prod-readonly');
    expect(await complete('rambridge', 'roles', '--favourite', 'prod-o')).toBe('prod-ops');
  });

  test('no role where none goes: after the role, after a flag value, or in the command exec runs', async () => {
    expect(await complete('rambridge', 'creds', '--json', 'dev-admin', 'd')).toBe('');
    expect(await complete('rambridge', 'creds', '--duration', '1h', 'dev-r')).toBe('dev-readonly');
    expect(await complete('rambridge', 'exec', 'dev-admin', '--', 'dev')).toBe('');
  });

  test('a role name is matched as text, never run: a `$(…)` in the list stays a word', async () => {
    // A stand-in `rambridge` whose list holds what a hostile server could have sent.
    const marker = join(home, 'ran');
    const evilBin = join(home, 'evil-bin');
    mkdirSync(evilBin, { recursive: true });
    writeFileSync(join(evilBin, 'rambridge'), `#!/bin/sh\nprintf '%s\\n' 'dev-$(touch ${marker})' 'dev-\`touch ${marker}\`' 'prod-x'\n`);
    chmodSync(join(evilBin, 'rambridge'), 0o755);
    const script = join(home, 'completion.bash');
    writeFileSync(script, (await promisify(execFile)(process.execPath, [bin, 'completion', 'bash'])).stdout);
    const { stdout } = await promisify(execFile)(
      'bash',
      ['-c', `source ${script}\nCOMP_WORDS=(rambridge creds dev); COMP_CWORD=2; _rambridge; printf '%s|' "\${COMPREPLY[@]}"`],
      { env: { PATH: `${evilBin}:${process.env.PATH}`, HOME: home } },
    );
    expect(stdout).toBe(`dev-$(touch ${marker})|dev-\`touch ${marker}\`|`);
    expect(existsSync(marker)).toBe(false);
  });

  test('the prompt function shows RAMBRIDGE_ROLE, and nothing outside a role shell', async () => {
    const shown = await bash(
      'source <(rambridge completion bash)\n__rambridge_ps1 "[%s] "; echo "|"; RAMBRIDGE_ROLE=dev-admin __rambridge_ps1 "(%s) "; echo "|"',
    );
    expect(shown).toBe('|\n(dev-admin) |\n');
  });
});

test('--list-roles: the cached ids, one a line; nothing (and exit 0) without a cache', async () => {
  const list = await promisify(execFile)(process.execPath, [bin, 'completion', '--list-roles'], { env: { PATH: path, HOME: home } });
  expect(list.stdout).toBe(ROLES.map((r) => `${r.id}\n`).join(''));
  const empty = await promisify(execFile)(process.execPath, [bin, 'completion', '--list-roles'], {
    env: { PATH: path, HOME: mkdtempSync(join(tmpdir(), 'rambridge-nothing-')) },
  });
  expect(empty.stdout).toBe('');
});

test.each([['zsh'], ['fish']])('%s: every command, the role list and the prompt function', async (shell) => {
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'completion', shell], { env: { PATH: path, HOME: home } });
  for (const command of ['login', 'creds', 'exec', 'credential-server', 'configure-aliyun', 'completion'])
    expect(stdout).toContain(command);
  expect(stdout).toContain('rambridge completion --list-roles');
  expect(stdout).toMatch(shell === 'zsh' ? /^#compdef rambridge$/m : /^function __rambridge_prompt$/m);
  expect(stdout).toContain('RAMBRIDGE_ROLE');
});

test('--list-roles leaves out a cached name that is not a role id (a list an older client saved unchecked)', async () => {
  const oldHome = mkdtempSync(join(tmpdir(), 'rambridge-old-cache-'));
  const ctx = createContext({ HOME: oldHome });
  await ctx.settings.update(() => ({ server: SERVER }));
  const hostile = ['$(id)', 'dev admin', '-rf'].map((id) => ({ ...ROLES[0]!, id }));
  await ctx.roleBook.saveCatalogue(SERVER, 'okta/u-1', [...hostile, ROLES[0]!], Date.now());
  const list = await promisify(execFile)(process.execPath, [bin, 'completion', '--list-roles'], { env: { PATH: path, HOME: oldHome } });
  expect(list.stdout).toBe(`${ROLES[0]!.id}\n`);
});
