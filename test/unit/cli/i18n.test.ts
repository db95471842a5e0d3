import { formatRemaining, parseDuration } from '../../../src/cli/client/duration.js';
import { formatSummary } from '../../../src/cli/client/formats.js';
import { resolveRole } from '../../../src/cli/client/resolve-role.js';
import { cliLanguage, LANGUAGES, useLanguage } from '../../../src/cli/i18n/index.js';
import { en } from '../../../src/cli/i18n/en.js';
import { HELP_LANGUAGES } from '../../../src/cli/i18n/help.js';
import { helpEn } from '../../../src/cli/i18n/help-en.js';
import { alignLabels, displayWidth } from '../../../src/cli/i18n/width.js';
import { credentials, ROLES } from './fixtures.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test.each(Object.entries(LANGUAGES))('%s has every key of the English catalogue, and no other', (_language, catalogue) => {
  expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
  for (const value of Object.values(catalogue)) expect(value.trim()).not.toBe('');
});

test.each(Object.entries(LANGUAGES))('%s uses the same placeholders as English in each sentence', (_language, catalogue) => {
  for (const [key, text] of Object.entries(en))
    expect([key, placeholders(catalogue[key as keyof typeof en])]).toEqual([key, placeholders(text)]);
});

test.each([
  [{ LANG: 'zh_CN.UTF-8' }, 'zh-CN'],
  [{ LANG: 'zh_SG.UTF-8' }, 'zh-CN'],
  [{ LANG: 'zh' }, 'zh-CN'],
  [{ LANG: 'zh_TW.UTF-8' }, 'en'],
  [{ LANG: 'en_US.UTF-8' }, 'en'],
  [{ LANG: 'C' }, 'en'],
  [{}, 'en'],
  [{ LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }, 'en'],
  [{ LANG: 'en_GB.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }, 'zh-CN'],
])('the language of %j is %s (LC_ALL, then LC_MESSAGES, then LANG)', (env, language) => {
  expect(cliLanguage(env)).toBe(language);
});

test('labels line up in columns, Chinese characters taking two', () => {
  expect(displayWidth('输入代码：')).toBe(10);
  const [open, enter] = alignLabels('打开：', '输入代码：');
  expect(displayWidth(open!)).toBe(displayWidth(enter!));
});

describe('in zh-CN', () => {
  beforeAll(() => useLanguage('zh-CN'));
  afterAll(() => useLanguage('en'));

  test('durations and errors are Chinese; commands and flags in them stay as typed', () => {
    expect(formatRemaining(3 * 3_600_000 + 12 * 60_000)).toBe('3 小时 12 分钟');
    expect(() => parseDuration('soon')).toThrow(
      expect.objectContaining({ message: '“soon”不是有效的时长。', code: 'ERR_CLI_DURATION_INVALID' }),
    );
    const summary = formatSummary({
      role: ROLES[0]!,
      credentials: credentials(new Date(3_600_000).toISOString()),
      fromCache: true,
      now: 0,
    });
    expect(summary).toContain('Development 中 dev-admin');
    expect(summary).toContain('，来自本地缓存');
    expect(summary).toContain('rambridge exec dev-admin -- aliyun sts GetCallerIdentity');
    expect(summary).not.toContain('secret/with+chars');
    expect(() => resolveRole(ROLES, 'nothing-like-it')).toThrow(expect.objectContaining({ hint: '运行 rambridge roles 查看它们。' }));
  });
});

describe('the help catalogues', () => {
  test.each(Object.entries(HELP_LANGUAGES))('%s has every key of the English help, and no other', (_language, catalogue) => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(helpEn).sort());
    for (const value of Object.values(catalogue)) expect(value.trim()).not.toBe('');
  });

  test('Chinese explains in Chinese, and keeps the flags, placeholders and variables it names as typed', () => {
    const tokens = (text: string) => [...text.matchAll(/--[\w-]+|\$\{\w+\}|\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b|<\w+>/g)].map((m) => m[0]).sort();
    for (const [key, english] of Object.entries(helpEn)) {
      const chinese = HELP_LANGUAGES['zh-CN'][key as keyof typeof helpEn];
      expect([key, tokens(chinese)]).toEqual([key, tokens(english)]);
      // Every sentence of several words is translated (single terms such as "zsh" may stay).
      if (/[a-z]{3,} [a-z]{3,}/.test(english)) expect([key, /[\u4e00-\u9fff]/.test(chinese)]).toEqual([key, true]);
    }
  });
});
