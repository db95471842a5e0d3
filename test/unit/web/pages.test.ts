import { createViews, type PageLocale, type Views } from '../../../src/web/views.js';

const EN: PageLocale = { lang: 'en', returnTo: '/roles' };

/**
 * The page map is checked by the compiler (`npm run check` runs tsc over the tests too): each
 * `@ts-expect-error` below fails the check if the mistake it marks were to compile.
 */
function mistakes(views: Views): void {
  // @ts-expect-error -- a misspelt field ('acounts') on the role picker
  views.render('roles', { title: 'Your roles', acounts: [], destinations: [], minJustification: 10, maxJustification: 500 }, EN);
  // @ts-expect-error -- a required field missing (the error page's code)
  views.render('error', { title: 'Error', heading: 'Error', message: 'm', requestId: 'r', retryHref: '/roles' }, EN);
  // @ts-expect-error -- no such page
  views.render('rolez', { title: 'Your roles' }, EN);
}

describe('views', () => {
  test('a page renders from its typed data', () => {
    const html = createViews().render(
      'device-code',
      {
        title: 'Sign in a device',
        value: 'ABCD-EFGH',
        error: { code: 'ERR_X', message: 'nope' },
      },
      EN,
    );
    expect(html).toContain('ABCD-EFGH');
    expect(typeof mistakes).toBe('function');
  });

  test('two sentences side by side: a space between them in English, none after a Chinese 。', () => {
    const signedOut = (lang: PageLocale['lang']) =>
      createViews().render(
        'signed-out',
        { title: 't', idpLogout: { url: 'https://idp.example/logout', name: 'Demo IdP' } },
        { lang, returnTo: '/' },
      );
    expect(signedOut('en')).toContain('ask for your password. <a class="button"');
    expect(signedOut('zh-CN')).toContain('不会要求输入密码。<a class="button"');
  });
});
