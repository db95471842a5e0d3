import { PassThrough } from 'node:stream';
import { CliError } from '../../../src/cli/client/errors.js';
import { offerLogin, type Terminal } from '../../../src/cli/client/relogin.js';
import { useLanguage } from '../../../src/cli/i18n/index.js';

const ended = new CliError('ERR_CLI_SESSION_ENDED', 'Your rambridge session has ended.', { hint: 'Run: rambridge login' });

/** A terminal (or not) whose user types `typed`; `undefined`: closes the input without a word (Ctrl+D). */
function terminal(typed: string | undefined, tty = true): Terminal & { shown: () => string } {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  if (typed === undefined) input.end();
  else input.write(typed);
  let shown = '';
  return { input, output: { write: (t: string) => (shown += t), isTTY: tty }, shown: () => shown };
}

async function offer(err: unknown, term: Terminal, json = false, env: NodeJS.ProcessEnv = {}) {
  let logins = 0;
  const loggedIn = await offerLogin(err, { term, json, env, login: async () => void (logins += 1) });
  return { loggedIn, logins };
}

test.each([['\n'], ['y\n'], ['Yes\n']])('on a terminal an ended session asks "Log in again? [Y/n]"; %j runs the login', async (typed) => {
  const term = terminal(typed);
  await expect(offer(ended, term)).resolves.toEqual({ loggedIn: true, logins: 1 });
  expect(term.shown()).toBe('Your rambridge session has ended. Log in again? [Y/n] ');
});

test('in zh-CN the question follows the 。 with no space', async () => {
  useLanguage('zh-CN');
  try {
    const term = terminal('y\n');
    await offer(new CliError('ERR_CLI_SESSION_ENDED', '你的 rambridge 会话已结束。'), term);
    expect(term.shown()).toBe('你的 rambridge 会话已结束。重新登录？[Y/n] ');
  } finally {
    useLanguage('en');
  }
});

test.each([['n\n'], ['no\n'], [undefined]])('%j: no login; the error is reported as before (exit 3)', async (typed) => {
  await expect(offer(ended, terminal(typed))).resolves.toEqual({ loggedIn: false, logins: 0 });
});

test('a role that needs a fresh IdP sign-in is offered the login too', async () => {
  const reauth = new CliError('ERR_CLI_REAUTH_REQUIRED', 'This role needs a fresh sign-in.');
  await expect(offer(reauth, terminal('y\n'))).resolves.toMatchObject({ loggedIn: true });
});

test('without a terminal, with --json or in CI: never asks, never reads the input', async () => {
  for (const [term, json, env] of [
    [terminal('y\n', false), false, {}],
    [terminal('y\n'), true, {}],
    [terminal('y\n'), false, { CI: 'true' }],
  ] as const) {
    await expect(offer(ended, term, json, env)).resolves.toEqual({ loggedIn: false, logins: 0 });
    expect(term.shown()).toBe('');
  }
});

test('other errors are not offered a login', async () => {
  const term = terminal('y\n');
  await expect(offer(new CliError('ERR_CLI_UNREACHABLE', 'Cannot reach it.'), term)).resolves.toMatchObject({ loggedIn: false });
  expect(term.shown()).toBe('');
});
