import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getSigninToken } from '../../../src/console/federation.js';

/**
 * GetSigninToken posts the STS AccessKeySecret and SecurityToken in its body: a redirect from the
 * sign-in service (or whatever answers in its place) must end the call, never re-post that body
 * to the origin its Location names.
 */

let signin: Server;
let elsewhere: Server;
let received: string[] = [];
let status = 307;

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  elsewhere = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SigninToken: 'stolen' }));
    });
  });
  const other = `${await listen(elsewhere)}/federation`;
  signin = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(status, { location: other }).end());
  });
  await listen(signin);
});
afterAll(async () => {
  await new Promise((resolve) => signin.close(resolve));
  await new Promise((resolve) => elsewhere.close(resolve));
});
beforeEach(() => {
  received = [];
});

it.each([301, 302, 307, 308])(
  'a %i from the sign-in service is a coded failure; the STS secret is never sent where it points',
  async (answer) => {
    status = answer;
    const url = `http://127.0.0.1:${(signin.address() as AddressInfo).port}`;
    const credentials = { accessKeyId: 'STS.id', accessKeySecret: 'SECRET-KEY', securityToken: 'SECRET-TOKEN' };
    await expect(getSigninToken(url, credentials)).rejects.toMatchObject({ code: 'ERR_CONSOLE_SIGNIN_FAILED', detail: { status: answer } });
    expect(received).toEqual([]);
  },
);
