import { processCommand } from '../../../src/cli/client/process-command.js';

const runtime = { execPath: '/usr/bin/node', script: '/opt/rambridge/bin/rambridge.js' };

test('plain paths and arguments stay unquoted, so whitespace-splitting aliyun CLIs read them too', () => {
  expect(processCommand(['creds', 'dev-admin', '--format', 'process', '--server', 'https://bridge.example:8443'], runtime)).toBe(
    '/usr/bin/node /opt/rambridge/bin/rambridge.js creds dev-admin --format process --server https://bridge.example:8443',
  );
});

test('a path with spaces is double-quoted, shell-escaped', () => {
  expect(processCommand(['creds', 'x'], { execPath: '/Applications/My Node/node', script: '/opt/a"b$c/rambridge.js' })).toBe(
    '"/Applications/My Node/node" "/opt/a\\"b\\$c/rambridge.js" creds x',
  );
});
