import { request as httpRequest, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { BatchedResponse } from '../../../src/batched-response.js';
import { createBridgeServer, listenStartingUp, serveWith } from '../../../src/http-server.js';

/** One request, bounded: an answer that never comes fails the test instead of hanging it. */
function send(url: string, method = 'GET'): Promise<{ status: number; body: string; headers: IncomingMessage['headers'] }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, timeout: 5_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('no answer: the request hung')));
    req.on('error', reject);
    req.end();
  });
}

describe('the bridge server writes the answers of one event-loop turn together', () => {
  let server: Server | undefined;
  let url = '';
  async function serve(handler: RequestListener): Promise<void> {
    server = createBridgeServer(handler);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  test('an answer is written once the turn that ended it has run, whole', async () => {
    const seen: Array<{ endedAtOnce: boolean; endedNextTurn: boolean }> = [];
    await serve((_req, res) => {
      res.setHeader('Content-Type', 'text/plain');
      res.end('hello');
      const endedAtOnce = res.writableEnded;
      void nextTurn().then(() => seen.push({ endedAtOnce, endedNextTurn: res.writableEnded }));
    });
    const answer = await send(url);

    expect(answer).toMatchObject({ status: 200, body: 'hello' });
    expect(answer.headers['content-length']).toBe('5');
    expect(seen).toEqual([{ endedAtOnce: false, endedNextTurn: true }]);
  });

  test('several requests in one turn are all answered, on one keep-alive connection too', async () => {
    let n = 0;
    await serve((req, res) => res.end(`${req.url} ${++n}`));
    const answers = await Promise.all(['/a', '/b', '/c', '/d'].map((path) => send(url + path)));
    expect(answers.map((a) => a.body.split(' ')[0])).toEqual(['/a', '/b', '/c', '/d']);
    expect(n).toBe(4);

    // Two requests pipelined on one connection arrive in one read: both answers, in order.
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (raw += chunk));
    socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`two answers expected, got: ${raw}`)), 5_000);
      socket.on('data', () => {
        if (!raw.includes('/second')) return;
        clearTimeout(timer);
        resolve();
      });
    });
    socket.destroy();
    expect(raw.indexOf('/first')).toBeGreaterThan(-1);
    expect(raw.indexOf('/first')).toBeLessThan(raw.indexOf('/second'));
  });

  test('HEAD, empty and streamed answers end as they would without the batching', async () => {
    await serve((req, res) => {
      if (req.url === '/empty') return void ((res.statusCode = 204), res.end());
      if (req.url === '/stream') return void Readable.from(['one ', 'two ', 'three']).pipe(res);
      res.setHeader('Content-Type', 'application/json');
      res.end('{"ok":true}');
    });
    expect(await send(`${url}/json`, 'HEAD')).toMatchObject({ status: 200, body: '' });
    expect(await send(`${url}/empty`)).toMatchObject({ status: 204, body: '' });
    expect(await send(`${url}/stream`)).toMatchObject({ status: 200, body: 'one two three' });
  });

  test('an answer that cannot be written cuts its own connection only; the rest of its turn is written', async () => {
    await serve((req, res) => {
      if (req.url === '/broken') {
        // A body that is not its declared length: Node refuses it when the end is written.
        res.strictContentLength = true;
        res.setHeader('Content-Length', '10');
        res.end('abc');
        return;
      }
      res.end('fine');
    });
    const [broken, fine] = await Promise.allSettled([send(`${url}/broken`), send(`${url}/fine`)]);
    expect(broken.status).toBe('rejected');
    expect(fine).toEqual({ status: 'fulfilled', value: expect.objectContaining({ status: 200, body: 'fine' }) });
    expect(await send(`${url}/after`)).toMatchObject({ body: 'fine' }); // the server lives on
  });

  test('`rambridge serve` answers with it, from the start-up 503 to the app', async () => {
    server = await listenStartingUp('127.0.0.1', 0);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await send(url)).toMatchObject({ status: 503 });
    const classes: string[] = [];
    serveWith(server, (_req, res: ServerResponse) => {
      classes.push(res instanceof BatchedResponse ? 'batched' : 'plain');
      res.end();
    });
    expect(await send(url)).toMatchObject({ status: 200 });
    expect(classes).toEqual(['batched']);
  });
});
