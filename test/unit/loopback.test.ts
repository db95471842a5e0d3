import { isLoopbackUrl } from '../../src/config/urls.js';
import { isLoopbackHost } from '../../src/loopback.js';
import { resolveStsEndpoint } from '../../src/sts/endpoint.js';
import { normalizeServerUrl } from '../../src/cli/client/server-url.js';

const LOOPBACK = ['localhost', '127.0.0.1', '127.1.2.3', '[::1]'];
const NOT_LOOPBACK = ['example.com', '10.0.0.1', '127.0.0.1.example.com', 'localhost.example.com', '[::2]', '128.0.0.1'];

test('isLoopbackHost: this machine by name, 127/8 and ::1, nothing that merely starts like them', () => {
  for (const host of [...LOOPBACK, '::1']) expect([host, isLoopbackHost(host)]).toEqual([host, true]);
  for (const host of NOT_LOOPBACK) expect([host, isLoopbackHost(host)]).toEqual([host, false]);
});

test('the bridge’s URLs, the STS endpoint and the CLI’s server URL allow plain http to the same hosts', () => {
  for (const host of LOOPBACK) {
    expect(isLoopbackUrl(`http://${host}:8080/`)).toBe(true);
    expect(() => resolveStsEndpoint({ endpoint: `${host}:9090`, protocol: 'http' })).not.toThrow();
    expect(() => normalizeServerUrl(`http://${host}:8080`)).not.toThrow();
  }
  for (const host of NOT_LOOPBACK) {
    expect(isLoopbackUrl(`http://${host}:8080/`)).toBe(false);
    expect(() => resolveStsEndpoint({ endpoint: `${host}:9090`, protocol: 'http' })).toThrow(/plain http/);
    expect(() => normalizeServerUrl(`http://${host}:8080`)).toThrow();
  }
});
