import { CliError, EXIT } from '../../../src/cli/client/errors.js';
import { reportError } from '../../../src/cli/client/report.js';

function report(err: unknown, json: boolean, env: NodeJS.ProcessEnv = {}) {
  let text = '';
  const code = reportError(err, { json, env, stream: { write: (t: string) => (text += t) } });
  return { code, text };
}

const refused = new CliError('ERR_CLI_NOT_ALLOWED', 'You may not use prod-admin.', {
  hint: 'Ask for the group.',
  serverCode: 'ERR_ROLE_NOT_GRANTED',
  requestId: 'req-1',
});

test('one line, a hint, the request id; the exit code of the kind of failure', () => {
  expect(report(refused, false)).toEqual({
    code: EXIT.NOT_ALLOWED,
    text: 'rambridge: error: You may not use prod-admin.\nhint: Ask for the group.\nrequest id: req-1\n',
  });
});

test('--json: one object with stable codes', () => {
  const { code, text } = report(refused, true);
  expect(code).toBe(4);
  expect(JSON.parse(text)).toEqual({
    error: {
      code: 'ERR_CLI_NOT_ALLOWED',
      message: 'You may not use prod-admin.',
      hint: 'Ask for the group.',
      serverCode: 'ERR_ROLE_NOT_GRANTED',
      requestId: 'req-1',
      exitCode: 4,
    },
  });
});

test('a bug: exit 1, no stack trace unless RAMBRIDGE_DEBUG', () => {
  const bug = new TypeError('x is undefined');
  const quiet = report(bug, false);
  expect(quiet.code).toBe(EXIT.GENERIC);
  expect(quiet.text).toBe(
    'rambridge: error: Unexpected error: x is undefined\nhint: This is a bug in rambridge; set RAMBRIDGE_DEBUG=1 for details and report it.\n',
  );
  expect(report(bug, false, { RAMBRIDGE_DEBUG: '1' }).text).toContain('at ');
});

test('distinct exit codes per kind', () => {
  expect(new CliError('ERR_CLI_USAGE', '').exitCode).toBe(2);
  expect(new CliError('ERR_CLI_SESSION_ENDED', '').exitCode).toBe(3);
  expect(new CliError('ERR_CLI_UNREACHABLE', '').exitCode).toBe(5);
  expect(new CliError('ERR_CLI_LOGIN_EXPIRED', '').exitCode).toBe(6);
});

test('a server’s words reach the terminal without the escape sequences it would act on', () => {
  // OSC 52 sets the clipboard; ESC[2K and CR erase the line to fake what follows.
  const hostile = new CliError('ERR_CLI_SERVER_ERROR', 'denied\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b[2K\rAll good.', {
    hint: 'ask \u009b31m\u202eevil',
    requestId: 'req\u0000-1',
  });
  const { text } = report(hostile, false);
  expect(text).toBe(
    'rambridge: error: denied\uFFFD]52;c;ZWNobyBwd25lZA==\uFFFD\uFFFD[2K\uFFFDAll good.\nhint: ask \uFFFD31m\uFFFDevil\nrequest id: req\uFFFD-1\n',
  );
  // --json keeps the text as sent: JSON escapes control characters itself.
  expect(JSON.parse(report(hostile, true).text).error.message).toBe(hostile.message);
});
