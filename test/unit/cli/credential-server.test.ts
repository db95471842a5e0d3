import { request } from 'node:http';
import type { Expiring } from '../../../src/cli/client/credential-cache.js';
import {
  credentialsUriBody,
  refusal,
  startCredentialServer,
  type RunningCredentialServer,
} from '../../../src/cli/client/credential-server.js';
import { servedLine } from '../../../src/cli/commands/credential-server.js';
import type { ObtainedCredentials } from '../../../src/cli/client/credential-source.js';
import { credentials } from './fixtures.js';

test('the served line counts the time left as reuse does: by the local expiry, not the expiration on a clock that may be off', () => {
  const now = Date.parse('2026-01-01T10:00:00Z');
  const obtained = {
    user: 'alice',
    role: { id: 'dev' },
    durationSeconds: 3600,
    credentials: credentials('2026-01-01T11:00:00Z'), // the server's clock is 30 minutes ahead of this one
    localExpiresAt: now + 30 * 60_000,
    fromCache: true,
  } as ObtainedCredentials;
  expect(servedLine(obtained, now)).toBe(
    servedLine({ ...obtained, localExpiresAt: undefined, credentials: credentials('2026-01-01T10:30:00Z') }, now),
  );
  expect(servedLine(obtained, now)).toContain('served dev (');
  expect(servedLine(obtained, now)).not.toBe(servedLine({ ...obtained, localExpiresAt: undefined }, now));
});

const expected = { host: '127.0.0.1:4567', path: '/s3cr3t' };
const ok = { method: 'GET', url: '/s3cr3t', headers: { host: '127.0.0.1:4567', 'user-agent': 'aliyun-cli' } };

describe('refusal', () => {
  test('a plain GET from a tool on this machine is served', () => {
    expect(refusal(ok, expected)).toBeUndefined();
    expect(refusal({ ...ok, url: '/s3cr3t?x=1' }, expected)).toBeUndefined();
    // Node's fetch adds Sec-Fetch-Mode to everything; alone it is not a browser.
    expect(refusal({ ...ok, headers: { ...ok.headers, 'sec-fetch-mode': 'cors' } }, expected)).toBeUndefined();
  });

  test.each([
    ['origin', 'https://evil.example'],
    ['origin', 'null'],
    ['referer', 'https://evil.example/page'],
    ['sec-fetch-site', 'cross-site'],
    ['sec-fetch-dest', 'document'],
    ['sec-fetch-user', '?1'],
  ])('a browser request (%s) is refused', (header, value) => {
    expect(refusal({ ...ok, headers: { ...ok.headers, [header]: value } }, expected)).toEqual({ status: 403, reason: 'a browser request' });
  });

  test.each(['evil.example:4567', 'localhost:4567', '127.0.0.1', '127.0.0.1:80'])('Host %s (DNS rebinding) is refused', (host) => {
    expect(refusal({ ...ok, headers: { host } }, expected)?.status).toBe(403);
  });

  test('no Host header is refused', () => {
    expect(refusal({ ...ok, headers: {} }, expected)?.status).toBe(403);
  });

  test('a wrong path is 404, a method other than GET 405', () => {
    expect(refusal({ ...ok, url: '/' }, expected)?.status).toBe(404);
    expect(refusal({ ...ok, url: '/s3cr3t/' }, expected)?.status).toBe(404);
    expect(refusal({ ...ok, method: 'POST' }, expected)?.status).toBe(405);
  });
});

test('the body is what the aliyun CLI and the SDKs read', () => {
  expect(credentialsUriBody({ credentials: credentials('2026-01-01T12:00:00.000Z') })).toEqual({
    Code: 'Success',
    AccessKeyId: 'STS.key-id',
    AccessKeySecret: 'secret/with+chars',
    SecurityToken: "token-with-'quote'",
    Expiration: '2026-01-01T12:00:00Z',
  });
});

test('its Expiration is when they expire by this machine’s clock, which the aliyun CLI and the SDKs judge it by', () => {
  // Arrived with the local clock 2 h slow: an hour left is an hour on this clock, not three.
  const slow = { credentials: credentials('2026-01-01T12:00:00.000Z'), localExpiresAt: Date.parse('2026-01-01T10:00:00.500Z') };
  expect(credentialsUriBody(slow).Expiration).toBe('2026-01-01T10:00:00Z');
});

describe('a running server', () => {
  let server: RunningCredentialServer;
  const log: string[] = [];
  let next: () => Promise<Expiring> = async () => ({ credentials: credentials('2026-01-01T12:00:00Z') });

  beforeAll(async () => {
    server = await startCredentialServer({ port: 0, credentials: () => next(), log: (line) => log.push(line) });
  });
  afterAll(() => server.close());

  function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      request(url, { headers }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
        .on('error', reject)
        .end();
    });
  }

  test('listens on 127.0.0.1 with a 256-bit random path', () => {
    expect(server.uri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]{43}$/);
  });

  test('serves the credentials, not cacheable', async () => {
    const res = await get(server.uri);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ Code: 'Success', AccessKeyId: 'STS.key-id' });
  });

  test('a rebinding request carries its own host name and gets no keys', async () => {
    const res = await get(server.uri, { host: 'attacker.example' });
    expect(res.status).toBe(403);
    expect(res.body).not.toContain('STS.key-id');
    expect(log.at(-1)).toContain('attacker.example');
  });

  test('a failure to get credentials is a 503 without keys, logged', async () => {
    next = async () => {
      throw new Error('Your rambridge session has ended.');
    };
    const res = await get(server.uri);
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ Code: 'Unavailable', Message: 'Your rambridge session has ended.' });
    expect(log.at(-1)).toContain('session has ended');
  });
});
