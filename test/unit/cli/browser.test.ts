import { browserCommand, shouldOpenBrowser } from '../../../src/cli/client/browser.js';
import { noBrowserReason } from '../../../src/cli/client/interactive-login.js';
import { t, useLanguage } from '../../../src/cli/i18n/index.js';

test('opens a browser on a desktop', () => {
  expect(shouldOpenBrowser({ DISPLAY: ':0' }, 'linux', false)).toBe(true);
  expect(shouldOpenBrowser({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux', false)).toBe(true);
  expect(shouldOpenBrowser({}, 'darwin', false)).toBe(true);
  expect(shouldOpenBrowser({}, 'win32', false)).toBe(true);
});

test.each([
  ['--no-browser', { DISPLAY: ':0' }, 'linux', true],
  ['RAMBRIDGE_NO_BROWSER', { DISPLAY: ':0', RAMBRIDGE_NO_BROWSER: '1' }, 'linux', false],
  ['SSH_CONNECTION', { DISPLAY: 'localhost:10.0', SSH_CONNECTION: '10.0.0.1 5000 10.0.0.2 22' }, 'linux', false],
  ['SSH_TTY', { SSH_TTY: '/dev/pts/1' }, 'darwin', false],
  ['no display on Linux', {}, 'linux', false],
] as const)('never with %s', (_why, env, platform, flag) => {
  expect(shouldOpenBrowser(env, platform, flag)).toBe(false);
});

test('why no browser is opened is said in the CLI’s language', () => {
  expect(noBrowserReason({}, false)).toBe('as asked');
  useLanguage('zh-CN');
  try {
    expect(noBrowserReason({ DISPLAY: ':0' }, false)).toBe('按你的要求');
    expect(noBrowserReason({ RAMBRIDGE_NO_BROWSER: '1' }, true)).toBe('按你的要求');
    expect(noBrowserReason({ SSH_TTY: '/dev/pts/1' }, true)).toBe('检测到 SSH 会话');
    expect(noBrowserReason({}, true)).toBe('未检测到图形界面');
    expect(t('notOpeningBrowser', { reason: noBrowserReason({}, false) })).toBe('不打开浏览器（按你的要求），请在任意设备上打开链接。');
  } finally {
    useLanguage('en');
  }
});

test('the URL is one argument, never read by a shell (no cmd on Windows)', () => {
  const url = 'https://bridge.example/device?user_code=BCDF-GHJK&x=1';
  expect(browserCommand('linux', url)).toEqual(['xdg-open', [url]]);
  expect(browserCommand('darwin', url)).toEqual(['open', [url]]);
  expect(browserCommand('win32', url)).toEqual(['rundll32.exe', ['url.dll,FileProtocolHandler', url]]);
  // cmd would have read `|` as a pipe into calc.exe.
  expect(browserCommand('win32', 'https://bridge.example/device?user_code=A|calc.exe')).toEqual([
    'rundll32.exe',
    ['url.dll,FileProtocolHandler', 'https://bridge.example/device?user_code=A|calc.exe'],
  ]);
});

test.each(['file:///Applications/Calculator.app', 'javascript:alert(1)', 'smb://host/share', 'calc.exe', '/etc/passwd'])(
  'nothing but a web page is opened: %s',
  (url) => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) expect(browserCommand(platform, url)).toBeUndefined();
  },
);
