import { english, sentencesEn, sentencesZhCN, type SentenceKey, type SentenceValues } from '../../../src/error-messages/index.js';
import { BridgeError, ERROR_STATUS, sentence, type ErrorCode } from '../../../src/errors.js';
import { errorText, sentenceIn } from '../../../src/web/i18n/error-text.js';
import { LANGUAGES } from '../../../src/web/i18n/index.js';

/**
 * A BridgeError names its sentences by key (src/error-messages/); a page fills its language's
 * template with the same values. Whether each key and its values exist, the compiler checks at the
 * throw site (test/unit/errors.test.ts); whether zh-CN has each key with the same placeholders,
 * test/unit/web/i18n.test.ts (the web catalogues include these sentences).
 */
const KEYS = Object.keys(sentencesEn) as SentenceKey[];
const sampleValues = (key: SentenceKey): SentenceValues =>
  Object.fromEntries([...sentencesEn[key].matchAll(/\{(\w+)\}/g)].map(([, name], i) => [name!, `X${i + 1}`]));

test('the web catalogues say every error sentence as src/error-messages/ does, in both languages', () => {
  for (const key of KEYS) {
    expect([key, LANGUAGES.en[key]]).toEqual([key, sentencesEn[key]]);
    expect([key, LANGUAGES['zh-CN'][key]]).toEqual([key, sentencesZhCN[key]]);
  }
});

test('English is word for word what the BridgeError says; Chinese gets the same values', () => {
  for (const key of KEYS) {
    const said = { key, values: sampleValues(key) };
    const err = new BridgeError('ERR_BAD_REQUEST', { userMessage: said, hint: said });
    expect(errorText(err, 'en')).toEqual({ message: err.userMessage, hint: err.hint });
    expect(err.userMessage).toBe(english(said));
    expect(err.userMessage).not.toMatch(/\{\w+\}/);
    const zh = sentenceIn('zh-CN', said);
    expect([key, zh.match(/X\d+/g)?.sort()]).toEqual([key, err.userMessage.match(/X\d+/g)?.sort()]);
  }
});

test.each((Object.keys(ERROR_STATUS) as ErrorCode[]).map((code) => [code, ERROR_STATUS[code]] as const))(
  '%s (%i) without a sentence of its own says the generic one of its status, in both languages',
  (code) => {
    const err = new BridgeError(code, { expose: true });
    expect(err.sentences.message.key).toMatch(/^err\.status\.\d+$/);
    expect(errorText(err, 'en').message).toBe(err.userMessage);
    expect(errorText(err, 'zh-CN').message).toBe(sentencesZhCN[err.sentences.message.key]);
    expect(errorText(err, 'zh-CN').hint).toBeUndefined();
  },
);

describe('error texts in zh-CN', () => {
  test('values in a sentence are carried over: an IdP name, a duration in the page language', () => {
    const unreachable = new BridgeError('ERR_IDP_UNREACHABLE', { userMessage: sentence('err.ERR_IDP_UNREACHABLE', { idp: 'Backup SSO' }) });
    expect(errorText(unreachable, 'zh-CN').message).toBe('无法连接 Backup SSO。');
    const duration = new BridgeError('ERR_DURATION_INVALID', {
      userMessage: sentence('err.ERR_DURATION_INVALID', { min: '15 min', max: '1 h 30 min' }),
    });
    expect(duration.userMessage).toBe('Choose a session length between 15 min and 1 h 30 min.');
    expect(errorText(duration, 'zh-CN').message).toBe('请选择 15 分钟到 1 小时 30 分钟之间的会话时长。');
    const sts = new BridgeError('ERR_STS_THROTTLED', {
      userMessage: sentence('err.ERR_STS_THROTTLED'),
      hint: sentence('hint.stsRequestId', { stsCode: 'Throttling.User', requestId: 'R-1' }),
    });
    expect([sts.userMessage, sts.hint]).toEqual([
      'Alibaba Cloud is limiting credential requests right now. Please try again shortly.',
      'Alibaba Cloud STS answered Throttling.User (RequestId R-1).',
    ]);
    expect(errorText(sts, 'zh-CN')).toEqual({
      message: '阿里云目前正在限制凭证请求。请稍后重试。',
      hint: '阿里云 STS 返回 Throttling.User（RequestId R-1）。',
    });
  });

  test('lists are joined with 、 and qualified in full-width brackets', () => {
    const unknown = new BridgeError('ERR_CONSOLE_SERVICE_UNKNOWN', {
      userMessage: sentence('err.ERR_CONSOLE_SERVICE_UNKNOWN.region', { service: 'ecs', region: 'xx-nowhere' }),
      hint: sentence('hint.knownServices', { services: 'ecs (cn-hangzhou), oss (cn-hangzhou), ram, actiontrail (cn-hangzhou)' }),
    });
    expect(unknown.userMessage).toBe('rambridge has no console page for "ecs" in xx-nowhere.');
    expect(errorText(unknown, 'zh-CN').hint).toBe('可用的服务：ecs（cn-hangzhou）、oss（cn-hangzhou）、ram、actiontrail（cn-hangzhou）。');
    expect(errorText(unknown, 'en').hint).toBe('Known services: ecs (cn-hangzhou), oss (cn-hangzhou), ram, actiontrail (cn-hangzhou).');
    const several = new BridgeError('ERR_BAD_REQUEST', {
      userMessage: sentence('err.ERR_BAD_REQUEST.severalRoles', { query: 'prod', roles: 'prod-ops, prod-readonly' }),
    });
    expect(several.userMessage).toBe('"prod" names several of your roles: prod-ops, prod-readonly.');
    expect(errorText(several, 'zh-CN').message).toBe('“prod”对应你的多个角色：prod-ops、prod-readonly。');
  });

  test('a value that looks like a sentence of the catalogue stays a value', () => {
    // The key decides, not the text: an IdP named like a template part cannot pick another entry.
    const odd = new BridgeError('ERR_IDP_UNREACHABLE', { userMessage: sentence('err.ERR_IDP_UNREACHABLE', { idp: 'The settings of X' }) });
    expect(errorText(odd, 'zh-CN').message).toBe('无法连接 The settings of X。');
    const generic = new BridgeError('ERR_AUTH_NOT_REAUTHENTICATED', { userMessage: sentence('err.ERR_AUTH_NOT_REAUTHENTICATED.generic') });
    expect(errorText(generic, 'zh-CN').message).toMatch(/^你的身份提供商/);
  });

  test('a number is filled as it is', () => {
    const err = new BridgeError('ERR_DEVICE_SLOW_DOWN', { userMessage: sentence('err.ERR_DEVICE_SLOW_DOWN', { seconds: 10 }) });
    expect(err.userMessage).toBe('Polling too fast: wait at least 10 seconds between requests.');
    expect(errorText(err, 'zh-CN').message).toContain('10');
  });
});
