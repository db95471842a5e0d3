import { explain } from '../../../src/cli/commands/explain.js';
import { demoBanner } from '../../../src/cli/demo-banner.js';
import { en } from '../../../src/cli/i18n/en.js';
import { useLanguage } from '../../../src/cli/i18n/index.js';
import { zhCN } from '../../../src/cli/i18n/zh-CN.js';
import { portInUse } from '../../../src/cli/port-in-use.js';
import { parseConfigText } from '../../../src/config/index.js';
import type { RunningDemo } from '../../../src/demo/index.js';

/** What the administrator commands print (check-config, explain, demo, serve, keys, emulator), in each language. */
const config = parseConfigText(
  [
    'server: {publicUrl: "https://bridge.example.com", sessionSecrets: ["' + 'k'.repeat(32) + '"]}',
    'idps:',
    '  - {id: corp, type: oidc, issuer: "https://idp.example.com", clientId: rambridge}',
    '  - {id: partner, type: oidc, issuer: "https://partner.example.net", clientId: rambridge}',
    'accounts: [{alias: dev, id: "1111222233334444"}, {alias: prod, id: "5555666677778888"}]',
    'roles:',
    '  - {id: dev-admin, account: dev, role: admin}',
    '  - {id: prod-admin, account: prod, role: admin}',
    '  - {id: prod-break-glass, account: prod, role: breakglass}',
    '  - {id: prod-partner, account: prod, role: partner}',
    '  - {id: lonely, account: prod, role: lonely}',
    'grants:',
    '  - {id: devs, groups: ["eng-*"], roles: [dev-admin]}',
    '  - {id: sre, groups: [sre], roles: [prod-admin], when: {emailDomains: [example.com, example.org]}}',
    '  - {id: glass, groups: [sre], roles: [prod-break-glass], when: {mfa: true}}',
    '  - {id: partners, groups: [sre], roles: [prod-partner], when: {idps: [corp, partner]}}',
  ].join('\n'),
  {},
);
const ARN = 'acs:ram::5555666677778888:role/';
const demo = {
  bridgeUrl: 'http://127.0.0.1:8080',
  idpUrl: 'http://127.0.0.1:8081',
  samlIdpUrl: 'http://127.0.0.1:8082',
  emulatorUrl: 'http://127.0.0.1:9090',
} as RunningDemo;
const inUse = (port?: number) => Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE', port, address: '127.0.0.1' });

describe('in English (LANG=C): as the commands have always printed it', () => {
  test('explain', () => {
    expect(explain(config, { groups: 'eng-a' })).toBe(
      'dev-admin  acs:ram::1111222233334444:role/admin\n  by grant devs: group "eng-a" matches "eng-*"\n',
    );
    expect(explain(config, { groups: 'sre', email: 'x@other.net', idp: 'other', role: 'prod-admin' })).toBe(
      `NOT GRANTED prod-admin (${ARN}admin)\n  grant sre: groups match, but the email must be in example.com, example.org\n`,
    );
    expect(explain(config, { groups: 'sre', idp: 'other', role: 'prod-partner' })).toContain(
      'grant partners: groups match, but only when signed in through IdP "corp" or "partner" (--idp)',
    );
    expect(explain(config, { groups: 'a,b', role: 'nope' })).toBe('NOT GRANTED nope: no role with this id is configured\n');
    expect(explain(config, { groups: 'a,b', role: 'lonely' })).toBe('NOT GRANTED lonely: no grant names this role\n');
    expect(explain(config, { groups: 'a,b' })).toBe('No roles for groups [a, b].\n');
  });

  test('the demo banner and a port in use', () => {
    const banner = demoBanner(demo);
    expect(banner).toContain('  rambridge demo is running\n');
    expect(banner).toContain('    Open        http://127.0.0.1:8080/roles\n');
    expect(banner).toContain('    Emulator    http://127.0.0.1:9090  (Alibaba Cloud RAM/STS/sign-in stand-in; console at /console)\n');
    expect(banner).toMatch(/^ {4}alice {4}\/ alice {4}groups: .+ \(signs in with MFA: may take elevated roles\)$/m);
    expect(banner).toMatch(/^ {4}bob {6}\/ bob {6}groups: rambridge-readonly$/m);
    const err = portInUse(inUse(8080), [{ port: 8080, what: 'the bridge', flag: 'port', env: 'PORT' }], 8090);
    expect(err).toMatchObject({
      message: 'Port 8080 on 127.0.0.1 (the bridge) is already in use.',
      hint: 'Stop the program using it, or choose another: --port 8090 (or PORT=8090).',
    });
    expect(portInUse(inUse(8080))?.hint).toBe('Stop the program using it, or choose another port.');
  });
});

describe('in zh-CN', () => {
  beforeAll(() => useLanguage('zh-CN'));
  afterAll(() => useLanguage('en'));

  test('explain reports in Chinese; role ids, ARNs, grant ids and names as configured', () => {
    const listed = explain(config, { groups: 'eng-a' });
    // Each role's line still starts with its id: the first word is what scripts read.
    expect(listed).toBe('dev-admin  acs:ram::1111222233334444:role/admin\n  由授权 devs 授予：组“eng-a”匹配“eng-*”\n');
    expect(explain(config, { groups: 'sre', email: 'x@example.com', role: 'prod-admin' })).toBe(
      `已授予 prod-admin（${ARN}admin）\n  由授权 sre 授予：组“sre”匹配“sre”\n`,
    );
    expect(explain(config, { groups: 'sre', email: 'x@other.net', role: 'prod-admin' })).toBe(
      `未授予 prod-admin（${ARN}admin）\n  授权 sre：组匹配，但邮箱必须属于 example.com、example.org\n`,
    );
    expect(explain(config, { groups: 'sre', role: 'prod-break-glass' })).toContain('授权 glass：组匹配，但要求 MFA（amr）');
    expect(explain(config, { groups: 'sre', idp: 'other', role: 'prod-partner' })).toContain(
      '授权 partners：组匹配，但仅限通过身份提供商“corp”或“partner”登录时（--idp）',
    );
    expect(explain(config, { groups: 'x', role: 'dev-admin' })).toContain('授权 devs：需要属于以下组之一：“eng-*”');
    expect(explain(config, { groups: 'a,b', role: 'nope' })).toBe('未授予 nope：配置中没有此 ID 的角色\n');
    expect(explain(config, { groups: 'a,b', role: 'lonely' })).toBe('未授予 lonely：没有任何授权包含此角色\n');
    expect(explain(config, { groups: 'a,b' })).toBe('组 [a、b] 没有任何角色。\n');
  });

  test('explain --json is the same JSON in every language', () => {
    const json = [explain(config, { groups: 'sre', json: true }), explain(config, { groups: 'sre', role: 'prod-admin', json: true })];
    useLanguage('en');
    const english = [explain(config, { groups: 'sre', json: true }), explain(config, { groups: 'sre', role: 'prod-admin', json: true })];
    useLanguage('zh-CN');
    expect(json).toEqual(english);
  });

  test('the demo banner: Chinese labels in one column, URLs and demo users as they are', () => {
    const banner = demoBanner(demo);
    expect(banner).toContain('  rambridge 演示已启动\n');
    expect(banner).toMatch(/^ {4}打开 +http:\/\/127\.0\.0\.1:8080\/roles$/m);
    expect(banner).toMatch(/^ {4}演示身份提供商 +http:\/\/127\.0\.0\.1:8081 {2}（OpenID Connect，仅供开发使用）$/m);
    expect(banner).toContain('  演示用户（用户名 / 密码）：\n');
    expect(banner).toMatch(/^ {4}alice {4}\/ alice {4}组：.+（以 MFA 登录：可使用高权限角色）$/m);
    expect(banner).toContain('  按 Ctrl+C 停止。\n');
    // The URLs start in one column whatever the label's width (a Chinese character takes two).
    const urlColumns = banner
      .split('\n')
      .filter((line) => line.includes('http://'))
      .map((line) => line.slice(0, line.indexOf('http://')).replace(/[\u4e00-\u9fff]/g, '  ').length);
    expect(new Set(urlColumns).size).toBe(1);
    expect(banner).not.toMatch(/Open {2}|Emulator|Demo users|Press Ctrl/);
  });

  test('a port in use names the port and how to choose another, in Chinese', () => {
    const err = portInUse(inUse(8080), [{ port: 8080, what: zhCN.demoWhatBridge, flag: 'port', env: 'PORT' }], 8090);
    expect(err).toMatchObject({
      code: 'ERR_CLI_PORT_IN_USE',
      message: '127.0.0.1 上的端口 8080（桥接服务）已被占用。',
      hint: '请停止占用它的程序，或换一个端口：--port 8090（或 PORT=8090）。',
    });
    expect(portInUse(inUse(9999))).toMatchObject({
      message: '127.0.0.1 上的端口 9999 已被占用。',
      hint: '请停止占用它的程序，或换一个端口。',
    });
    expect(portInUse(inUse())?.message).toBe('某个端口已被占用。');
  });
});

test('every sentence of the CLI catalogue is Chinese in zh-CN, with Chinese punctuation and no space after 。', () => {
  for (const [key, english] of Object.entries(en)) {
    const chinese = zhCN[key as keyof typeof en];
    // A sentence of several words is translated (commands, flags and placeholders may stay).
    if (/[a-z]{3,} [a-z]{3,}/i.test(english.replace(/\{\w+\}/g, ''))) expect([key, /[\u4e00-\u9fff]/.test(chinese)]).toEqual([key, true]);
    expect([key, /。 /.test(chinese)]).toEqual([key, false]);
    // No ASCII comma, colon, semicolon or parenthesis right after or before a Chinese character.
    expect([key, /[\u4e00-\u9fff][,:;()]|[,:;()][\u4e00-\u9fff]/.test(chinese)]).toEqual([key, false]);
  }
});
