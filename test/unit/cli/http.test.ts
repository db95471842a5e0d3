import { requestJson, serverError } from '../../../src/cli/client/http.js';
import { useLanguage } from '../../../src/cli/i18n/index.js';

afterEach(() => useLanguage('en'));

async function sentHeaders(): Promise<Headers> {
  let sent = new Headers();
  await requestJson(async (_url, init) => {
    sent = new Headers(init?.headers);
    return new Response('{}', { status: 200 });
  }, 'http://127.0.0.1:8080/api/roles');
  return sent;
}

test('asks the server for error texts in the language the CLI speaks', async () => {
  expect((await sentHeaders()).get('accept-language')).toBe('en');
  useLanguage('zh-CN');
  expect((await sentHeaders()).get('accept-language')).toBe('zh-CN, en;q=0.5');
});

test("an OAuth refusal's message in the CLI's language is shown, not the English error_description beside it", () => {
  const response = {
    status: 401,
    headers: new Headers(),
    body: { error: 'invalid_client', error_description: 'Unknown client.', message: '未知的客户端。', code: 'ERR_OAUTH_INVALID_CLIENT' },
  };
  expect(serverError(response).message).toBe('未知的客户端。');
  expect(serverError({ ...response, body: { ...response.body, message: undefined } }).message).toBe('Unknown client.');
});
