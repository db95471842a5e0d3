import type { Command } from 'commander';
import { commandPath } from '../../../src/cli/help-examples.js';
import { LocalizedHelp } from '../../../src/cli/help-format.js';
import { useLanguage } from '../../../src/cli/i18n/index.js';
import { displayWidth } from '../../../src/cli/i18n/width.js';
import { createProgram } from '../../../src/cli/main.js';

function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

/** What `rambridge <path> --help` prints on an 80-column terminal, without exiting. */
function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (t) => (text += t), getOutHelpWidth: () => 80 });
  command.outputHelp();
  return text;
}

/** The tree built while the language is `language`: descriptions are looked up then, not at import. */
function programIn(language: 'en' | 'zh-CN'): Command {
  useLanguage(language);
  try {
    return createProgram();
  } finally {
    useLanguage('en');
  }
}

const zh = allCommands(programIn('zh-CN')).map((c) => [commandPath(c) || '(rambridge)', c] as const);

test.each(zh)('zh-CN: rambridge %s --help is Chinese, its flags and examples as typed', (path, command) => {
  const help = helpOf(command);
  expect(help).toMatch(/^用法：rambridge/);
  expect(help).toContain('\n选项：\n');
  expect(help).toContain('  -h, --help');
  expect(help).toContain('显示命令帮助');
  expect(help).toContain('\n示例：\n  # ');
  expect(help).not.toMatch(/Usage:|Options:|Commands:|Arguments:|Examples:|display help|\(default:|choices:/);
  // The description under the usage line is Chinese.
  expect(help.split('\n')[2]).toMatch(/[\u4e00-\u9fff]/);
  const invocation = path === '(rambridge)' ? 'rambridge ' : `rambridge ${path}`;
  expect(help).toContain(`\n  ${invocation}`);
});

test.each(zh.filter(([path]) => path !== '(rambridge)'))(
  'zh-CN: rambridge %s --help wraps at 80 columns, never before closing punctuation',
  (_path, command) => {
    // (The top-level command list is not wrapped in any language: commander leaves a description
    // column narrower than 40 as it is.)
    for (const line of helpOf(command).split('\n')) {
      expect([line, displayWidth(line) <= 80]).toEqual([line, true]);
      expect(line).not.toMatch(/^\s+[，。、；：）]/);
      // Words the report found split: 模|糊, 登|录, 服务|器, （默|认.
      expect(line).not.toMatch(/(唯一的模|上次登|登录的服务|（默)$/);
    }
  },
);

test('zh-CN: section titles, "(default: …)" and "(choices: …)" of commander in Chinese', () => {
  const program = programIn('zh-CN');
  const generate = program.commands.find((c) => c.name() === 'keys')!.commands.find((c) => c.name() === 'generate')!;
  expect(helpOf(generate)).toContain('--purpose <purpose>  saml 或 oidc（默认："saml"）');
  const creds = helpOf(program.commands.find((c) => c.name() === 'creds')!);
  expect(creds).toContain('\n参数：\n  role ');
  expect(creds).toContain('（可选值："summary"，"env"，"json"，');
  expect(helpOf(program)).toContain('\n命令：\n');
  expect(helpOf(program)).toContain('-V, --version                          显示 rambridge 的版本');
});

test('English help after a Chinese one: the language is read when the tree is built', () => {
  programIn('zh-CN');
  const help = helpOf(programIn('en'));
  expect(help).toMatch(/^Usage: rambridge \[options\] \[command\]\n\nCorporate sign-in/);
  expect(help).toContain('  help [command]                         display help for command\n');
  expect(help).not.toMatch(/[\u4e00-\u9fff]/);
});

describe('LocalizedHelp', () => {
  const help = new LocalizedHelp();

  test('breaks after punctuation within reach rather than between two CJK characters', () => {
    const help = new LocalizedHelp();
    // Greedy, the first lines would end in the middle of 服务器 and of 默认.
    expect(help.boxWrap('rambridge 服务器（默认：RAMBRIDGE_SERVER，否则为上次登录的服务器）', 62)).toBe(
      'rambridge 服务器（默认：RAMBRIDGE_SERVER，\n否则为上次登录的服务器）',
    );
    expect(help.boxWrap('一个 IdP 组，按原样读取（可重复；用于名称含逗号的组）（默认：[]）', 58)).toBe(
      '一个 IdP 组，按原样读取（可重复；用于名称含逗号的组）\n（默认：[]）',
    );
    // No better point within a third of the width: between characters, as before.
    expect(help.boxWrap('一二三四五六七八九十一二三四五六七八九十一二三四五', 40)).toBe(
      '一二三四五六七八九十一二三四五六七八九十\n一二三四五',
    );
  });

  test('counts a Chinese character as two columns, colours as none', () => {
    expect(help.displayWidth('角色 id')).toBe(7);
    expect(help.displayWidth('\u001b[1m角色\u001b[22m')).toBe(4);
  });

  test('wraps Chinese between characters, and English at spaces exactly as commander does', () => {
    const wrapped = help.boxWrap('会话时长：900、15m、1h（默认：你上次为该角色选择的时长）', 40);
    for (const line of wrapped.split('\n')) expect(help.displayWidth(line)).toBeLessThanOrEqual(40);
    expect(wrapped.split('\n').length).toBeGreaterThan(1);
    expect(wrapped.replace(/\n/g, '')).toBe('会话时长：900、15m、1h（默认：你上次为该角色选择的时长）');
    expect(wrapped).not.toMatch(/\n[，。、：）]/);
    const english = 'session length: 900, 15m, 1h, 1h30m, 12h (default: the last one you chose for the role)';
    expect(help.boxWrap(english, 40)).toBe(new (Object.getPrototypeOf(LocalizedHelp) as typeof LocalizedHelp)().boxWrap(english, 40));
  });
});
