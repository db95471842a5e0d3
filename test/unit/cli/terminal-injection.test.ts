import { request } from 'node:http';
import { connect } from 'node:net';
import { PassThrough } from 'node:stream';
import { startCredentialServer } from '../../../src/cli/client/credential-server.js';
import { CliError } from '../../../src/cli/client/errors.js';
import { serverError } from '../../../src/cli/client/http.js';
import { printable } from '../../../src/cli/client/printable.js';
import { cleanClientText } from '../../../src/device/client.js';
import { offerLogin } from '../../../src/cli/client/relogin.js';

/**
 * Text from a hostile or compromised bridge (or from any program on this machine, for the
 * credential server) reaches the terminal shown, never acted on: no escape sequence, no bidi control.
 */

// OSC 52 (set the clipboard to a command), then erase the line and move up over it.
const EVIL = 'Session ended.\u001b]52;c;Y3VybCBldmlsfHNo\u0007\u001b[2K\u001b[1A';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const ACTED_ON = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function refusal401(message: string, hint?: string) {
  return { status: 401, headers: new Headers(), body: { error: 'invalid_token', code: 'ERR_NOT_SIGNED_IN', message, hint } };
}

describe('serverError', () => {
  test('the server’s message and hint lose their control characters, whichever way they are printed', () => {
    const err = serverError(refusal401(EVIL, `Sign in again.${'\u001b[2J'}`));
    expect(err.message).toBe('Session ended.\uFFFD]52;c;Y3VybCBldmlsfHNo\uFFFD\uFFFD[2K\uFFFD[1A');
    expect(err.hint).toBe('Sign in again.\uFFFD[2J');
    expect(serverError({ status: 500, headers: new Headers(), body: { error_description: 'a\u009b2Kb' } }).message).toBe('a\uFFFD2Kb');
  });
});

describe('printable', () => {
  test('bidi marks and the Arabic letter mark are replaced like the overrides and isolates (the server’s cleanClientText set)', () => {
    for (const bidi of ['\u200e', '\u200f', '\u061c', '\u202a', '\u202e', '\u2066', '\u2069']) {
      expect(printable(`prod${bidi}-ops`)).toBe('prod\uFFFD-ops');
    }
    expect(printable('tab\tand\nnewline stay; 中文 too')).toBe('tab\tand\nnewline stay; 中文 too');
  });

  test('invisible format characters and blank fillers are replaced too, as cleanClientText removes them', () => {
    for (const invisible of [
      '\u200b',
      '\u2060',
      '\ufeff',
      '\u00ad',
      '\u115f',
      '\u1160',
      '\u3164',
      '\uffa0',
      '\u{e0001}',
      '\u{e0041}',
      '\u{e007f}',
    ]) {
      expect(printable(`prod${invisible}-ops`)).toBe('prod\uFFFD-ops');
      expect(cleanClientText(`alice${invisible}-laptop`, 64)).toBe('alice-laptop');
    }
  });

  test('keeps the zero-width joiner and non-joiner where they join: Persian and Indic names, emoji sequences', () => {
    for (const joined of ['محمد\u200cحسین رضایی', 'क्\u200dष', '👩\u200d💻 Developers', '👩🏽\u200d💻', '🏳️\u200d🌈']) {
      expect(printable(joined)).toBe(joined);
    }
    for (const [alone, shown] of [
      ['\u200d', '\uFFFD'],
      ['prod\u200c-ops', 'prod\uFFFD-ops'],
      ['prod \u200dops', 'prod \uFFFDops'],
      ['ops\u200d', 'ops\uFFFD'],
      ['a\u200d\u200db', 'a\uFFFD\uFFFDb'],
    ]) {
      expect(printable(alone!)).toBe(shown);
    }
  });

  test('replaces exactly what the server’s cleanClientText removes, but tab and newline (each character alone: a joiner there joins nothing)', () => {
    const differ = Array.from({ length: 0x3000 }, (_, code) => String.fromCharCode(code))
      .filter((c) => c !== '\t' && c !== '\n')
      .filter((c) => (printable(c) === '\uFFFD') !== (cleanClientText(`a${c}b`, 10) === 'ab'))
      .map((c) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    expect(differ).toEqual([]);
  });
});

describe('the Log in again? prompt', () => {
  async function prompted(err: CliError): Promise<string> {
    const input = Object.assign(new PassThrough(), { isTTY: true });
    input.write('n\n');
    let shown = '';
    const output = { write: (text: string) => ((shown += text), true), isTTY: true };
    await offerLogin(err, { term: { input, output }, json: false, env: {}, login: async () => undefined });
    return shown;
  }

  test('shows a server’s message without its escape sequences', async () => {
    const err = serverError(refusal401(EVIL));
    expect(err.code).toBe('ERR_CLI_REAUTH_REQUIRED');
    const shown = await prompted(err);
    expect(shown).toContain('Session ended.');
    expect(shown).not.toMatch(ACTED_ON);
  });

  test('filters whatever error it is given, not only those serverError made', async () => {
    expect(await prompted(new CliError('ERR_CLI_SESSION_ENDED', EVIL))).not.toMatch(ACTED_ON);
  });
});

describe('credential-server log lines', () => {
  async function logged(credentials: () => Promise<never>, send: (uri: URL) => Promise<void>): Promise<string> {
    const lines: string[] = [];
    const running = await startCredentialServer({ port: 0, credentials, log: (line) => lines.push(line) });
    try {
      await send(new URL(running.uri));
    } finally {
      await running.close();
    }
    return lines.join('\n');
  }

  test('the bridge’s error message is logged without its escape sequences', async () => {
    const get = (uri: URL) =>
      new Promise<void>((resolve, reject) =>
        request(uri, (res) => res.resume().on('end', resolve))
          .on('error', reject)
          .end(),
      );
    const log = await logged(() => Promise.reject(serverError(refusal401(EVIL))), get);
    expect(log).toContain('could not get credentials: Session ended.');
    expect(log).not.toMatch(ACTED_ON);
  });

  test('a local program’s Host header is logged without its C1 controls (8-bit CSI) or bidi overrides', async () => {
    // Node refuses to send such a header, and its parser passes bytes 0x80-0xff: a raw request.
    const rawGet = (uri: URL) =>
      new Promise<void>((resolve, reject) => {
        const socket = connect(Number(uri.port), uri.hostname, () => {
          const host = Buffer.concat([Buffer.from('evil'), Buffer.from([0x9b, 0x32, 0x4b, 0xe2, 0x80, 0xae])]);
          socket.end(
            Buffer.concat([Buffer.from(`GET ${uri.pathname} HTTP/1.1\r\nHost: `), host, Buffer.from('\r\nConnection: close\r\n\r\n')]),
          );
        });
        socket.on('error', reject).on('close', () => resolve());
        socket.resume();
      });
    const log = await logged(() => Promise.reject(new Error('not reached')), rawGet);
    expect(log).toContain('refused a request: Host "evil');
    expect(log).not.toMatch(ACTED_ON);
  });
});
