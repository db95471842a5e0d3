import { chooseServer, normalizeServerUrl } from '../../../src/cli/client/server-url.js';

test('normalises to the issuer form', () => {
  expect(normalizeServerUrl('https://bridge.example/')).toBe('https://bridge.example');
  expect(normalizeServerUrl('bridge.example')).toBe('https://bridge.example');
  expect(normalizeServerUrl('https://bridge.example/sso/?x=1#y')).toBe('https://bridge.example/sso');
  expect(normalizeServerUrl('http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  expect(normalizeServerUrl('http://localhost:8080/')).toBe('http://localhost:8080');
});

test('plain HTTP to another machine is refused (exit 2): tokens would cross the network in clear', () => {
  expect(() => normalizeServerUrl('http://bridge.example')).toThrow(
    expect.objectContaining({ code: 'ERR_CLI_INSECURE_SERVER', exitCode: 2 }),
  );
  expect(() => normalizeServerUrl('ftp://bridge.example')).toThrow(expect.objectContaining({ code: 'ERR_CLI_USAGE' }));
  expect(() => normalizeServerUrl('https://')).toThrow(expect.objectContaining({ code: 'ERR_CLI_USAGE' }));
});

test('flag, then RAMBRIDGE_SERVER, then the saved server', () => {
  const env = { RAMBRIDGE_SERVER: 'https://env.example' };
  expect(chooseServer('https://flag.example', env, 'https://saved.example')).toBe('https://flag.example');
  expect(chooseServer(undefined, env, 'https://saved.example')).toBe('https://env.example');
  expect(chooseServer(undefined, {}, 'https://saved.example')).toBe('https://saved.example');
  expect(() => chooseServer(undefined, {}, undefined)).toThrow(
    expect.objectContaining({ code: 'ERR_CLI_NO_SERVER', hint: expect.stringContaining('rambridge login --server') }),
  );
});
