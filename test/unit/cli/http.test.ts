import { requestJson } from '../../../src/cli/client/http.js';
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
