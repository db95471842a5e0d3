import { credentialsView } from '../../../src/web/console-actions.js';
import { en } from '../../../src/web/i18n/en.js';
import { formatDateTime, formatDurationIn, formatMinutesAgo } from '../../../src/web/i18n/format.js';
import { LANGUAGES, translator } from '../../../src/web/i18n/index.js';
import { languageForTag, negotiateLanguage, parseAcceptLanguage, rememberedLanguage } from '../../../src/web/i18n/negotiate.js';
import { pageHelpers } from '../../../src/web/views.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('web catalogues', () => {
  test.each(Object.entries(LANGUAGES))('%s has every key of the English catalogue, and no other', (_language, catalogue) => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(en).sort());
    for (const [key, value] of Object.entries(catalogue)) expect([key, value.trim()]).not.toEqual([key, '']);
  });

  test.each(Object.entries(LANGUAGES))('%s uses the same placeholders as English in each sentence', (_language, catalogue) => {
    for (const [key, text] of Object.entries(en))
      expect([key, placeholders(catalogue[key as keyof typeof en])]).toEqual([key, placeholders(text)]);
  });

  test('Chinese sentences are Chinese, not English left behind', () => {
    // Keys whose text is the same in both languages on purpose (a product word).
    const sameOnPurpose = new Set(['credentials.shell']);
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      if (sameOnPurpose.has(key)) continue;
      expect([key, /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/.test(LANGUAGES['zh-CN'][key])]).toEqual([key, true]);
    }
  });
});

describe('Accept-Language', () => {
  test('tags come by q-value, ties in order, q=0 and malformed entries dropped', () => {
    expect(parseAcceptLanguage('fr;q=0.5, zh-CN, en;q=0.8, de;q=0, x y, it;q=2')).toEqual(['zh-CN', 'en', 'fr']);
    expect(parseAcceptLanguage('en;q=0.8, fr;q=0.8')).toEqual(['en', 'fr']);
    expect(parseAcceptLanguage('')).toEqual([]);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
  });

  test.each([
    ['zh', 'zh-CN'],
    ['zh-CN', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['zh-Hans-HK', 'zh-CN'],
    ['zh-SG', 'zh-CN'],
    ['zh-TW', undefined],
    ['zh-HK', undefined],
    ['zh-Hant', undefined],
    ['zh-Hant-CN', undefined],
    ['en-GB', 'en'],
    ['fr', undefined],
    ['*', undefined],
  ])('the tag %s is %s', (tag, language) => {
    expect(languageForTag(tag)).toBe(language);
  });

  test.each([
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    ['en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    ['zh-TW', 'en'],
    ['zh-TW,zh-CN;q=0.5', 'zh-CN'],
    ['de, fr', 'en'],
    ['de, zh;q=0.1', 'zh-CN'],
    ['zh;q=0, en;q=0.1', 'en'],
    ['', 'en'],
  ])('%j picks %s', (header, language) => {
    expect(negotiateLanguage(header)).toBe(language);
  });

  test('a remembered choice counts only when it names a language we speak', () => {
    expect(rememberedLanguage('zh-CN')).toBe('zh-CN');
    expect(rememberedLanguage('en')).toBe('en');
    for (const bad of ['zh', 'EN', 'toString', '__proto__', '', undefined]) expect(rememberedLanguage(bad)).toBeUndefined();
  });
});

describe('localised values', () => {
  test('durations', () => {
    expect([900, 3600, 5400, 43200].map((s) => formatDurationIn('en', s))).toEqual(['15 min', '1 h', '1 h 30 min', '12 h']);
    expect([900, 3600, 5400, 43200].map((s) => formatDurationIn('zh-CN', s))).toEqual(['15 分钟', '1 小时', '1 小时 30 分钟', '12 小时']);
  });

  test('durations to the nearest minute carry into the hours: never 60 min', () => {
    expect([7180, 3590, 3569, 5430].map((s) => formatDurationIn('en', s))).toEqual(['2 h', '1 h', '59 min', '1 h 31 min']);
    expect([7180, 3590].map((s) => formatDurationIn('zh-CN', s))).toEqual(['2 小时', '1 小时']);
  });

  test('dates and times, in UTC', () => {
    const at = Date.UTC(2030, 0, 2, 13, 5, 0);
    expect(formatDateTime('en', at)).toBe('Jan 2, 2030, 13:05:00 UTC');
    expect(formatDateTime('zh-CN', at)).toBe('2030年1月2日 UTC 13:05:00');
    expect(formatMinutesAgo('en', 150_000)).toBe('2 min ago');
    expect(formatMinutesAgo('zh-CN', 30_000)).toBe('不到一分钟前');
  });

  test("the aliyun profile's language, the configure command's and the countdown follow the page", () => {
    const expiration = new Date(Date.UTC(2030, 0, 1));
    const issued = {
      roleSessionName: 'alice',
      credentials: { accessKeyId: 'STS.AK', accessKeySecret: 's', securityToken: 't', expiration },
    };
    const hourBefore = expiration.getTime() - 3600_000;
    expect(JSON.parse(credentialsView(issued, 'dev-admin', 'zh-CN', hourBefore).profileJson)).toMatchObject({ language: 'zh' });
    expect(JSON.parse(credentialsView(issued, 'dev-admin', 'en', hourBefore).profileJson)).toMatchObject({ language: 'en' });
    expect(credentialsView(issued, 'dev-admin', 'zh-CN', hourBefore).shells[0]!.configure).toContain('--language zh');
    expect(credentialsView(issued, 'dev-admin', 'zh-CN', hourBefore).expirationUtc).toBe('2030年1月1日 UTC 00:00:00');
    expect(credentialsView(issued, 'dev-admin', 'zh-CN', hourBefore).expiresIn).toBe('1 小时后过期。');
    expect(credentialsView(issued, 'dev-admin', 'en', hourBefore + 1000).expiresIn).toBe('Expires in 59 min.');
    expect(credentialsView(issued, 'dev-admin', 'en', expiration.getTime() - 30_500).expiresIn).toBe('Expires in 30 s.');
    expect(credentialsView(issued, 'dev-admin', 'en', expiration.getTime()).expiresIn).toBe(
      'These credentials have expired: get new ones.',
    );
  });
});

describe('sentences with markup', () => {
  test('th escapes the sentence and plain values, and keeps tag() values as built', () => {
    const { th, tag } = pageHelpers({ lang: 'en', returnTo: '/roles' });
    expect(th('consolePost.signingInAs', { arn: tag('code', 'a<b>"') })).toBe('Signing you in as <code>a&lt;b&gt;&quot;</code>.');
    expect(th('signedOut.idpActive', { idp: '<img src=x>' })).toContain('&lt;img src=x&gt;');
    expect(tag('time', 'x', { 'data-testid': 't', datetime: '"><script>' }).html).toBe(
      '<time data-testid="t" datetime="&quot;&gt;&lt;script&gt;">x</time>',
    );
    expect(() => tag('a onclick', 'x')).toThrow();
  });

  test('translator fills placeholders and leaves unknown ones visible', () => {
    expect(translator('zh-CN')('roles.upTo', { duration: '1 小时' })).toBe('最长 1 小时');
    expect(translator('en')('roles.upTo')).toBe('up to {duration}');
  });
});
