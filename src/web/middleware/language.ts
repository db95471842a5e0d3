import type { Context, Middleware } from 'koa';
import { negotiateLanguage, rememberedLanguage } from '../i18n/negotiate.js';
import { safeLocalPath } from '../return-to.js';
import type { PageLocale } from '../views.js';
import type { Language } from '../i18n/index.js';

/** The cookie that remembers a language chosen with the switcher (routes/language.ts). */
export const LANGUAGE_COOKIE = 'rambridge_lang';

/**
 * Picks the language of this response: a choice remembered in the cookie (when it names a language
 * we speak), else the browser's `Accept-Language`, else English. Runs before the error handler, so
 * error pages and JSON error bodies speak it too. Pages (and error bodies) say which language they
 * are in, and that it depends on the header; assets and API answers are the same in every language
 * and keep their caching untouched.
 */
export function chooseLanguage(): Middleware {
  return async (ctx, next) => {
    ctx.state.lang = cookieLanguage(ctx) ?? negotiateLanguage(ctx.get('Accept-Language'));
    try {
      await next();
    } finally {
      if (isHtml(ctx) || (ctx.status >= 400 && ctx.response.is('json'))) {
        ctx.vary('Accept-Language');
        ctx.vary('Cookie');
        ctx.set('Content-Language', ctx.state.lang);
      }
    }
  };
}

/** `ctx.response.is('html')` without type-is parsing the header on every response. */
function isHtml(ctx: Context): boolean {
  const type = ctx.response.get('Content-Type');
  return typeof type === 'string' && /^text\/html\s*(;|$)/i.test(type);
}

const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * Remembers `language` in this browser: only a language we speak, not readable by scripts,
 * SameSite=Lax (sent on the top-level navigations that render pages), Secure on https.
 */
export function setLanguageCookie(ctx: Context, language: Language, https: boolean): void {
  ctx.cookies.set(LANGUAGE_COOKIE, language, {
    httpOnly: true,
    sameSite: 'lax',
    secure: https,
    signed: false,
    overwrite: true,
    maxAge: ONE_YEAR_MS,
  });
  ctx.state.lang = language;
}

/** The language this browser remembers (the cookie), if it names one we speak. */
export function cookieLanguage(ctx: Context): Language | undefined {
  // Most requests carry no such cookie (the CLI's API calls no cookie at all): those need no cookie jar.
  if (!ctx.get('Cookie').includes(LANGUAGE_COOKIE)) return undefined;
  return rememberedLanguage(ctx.cookies.get(LANGUAGE_COOKIE, { signed: false }));
}

/** The GET pages the language switcher may come back to; the rest are answers to a POST. */
export const SWITCHER_PAGES = ['/roles', '/device', '/login', '/signed-out', '/sessions'] as const;

/**
 * The request's language and where the switcher returns to: this page when it was a GET of a
 * switcher page, else the page a POST came from (re-posting a form, which may mint credentials or
 * decide a device, is never repeated just to change language).
 */
export function pageLocale(ctx: Context): PageLocale {
  return { lang: ctx.state.lang, returnTo: switcherReturn(ctx) };
}

function switcherReturn(ctx: Context): string {
  const fallback = ctx.path === '/device' ? '/device' : ctx.path.startsWith('/logout') ? '/signed-out' : '/roles';
  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return fallback;
  return switcherTarget(ctx.originalUrl, fallback);
}

/**
 * A console launch page (`/roles/:role/console`): it opens the console by itself when reached from
 * the bridge. Matched as the router matches it: in any case, with or without a trailing slash.
 */
const LAUNCH_PAGE = /^\/roles\/([^/?#]+)\/console\/?(?:[?#]|$)/i;

/**
 * Where the switcher may send the browser back to: a switcher page, never a console launch page.
 * Coming back from our own POST /lang, that page would count as reached from the bridge and open
 * the console without a click, for the role, service and duration of whatever link (maybe another
 * site's) the user was looking at. It goes back to that role in the picker instead.
 */
export function switcherTarget(value: unknown, fallback: string): string {
  const target = safeLocalPath(value, SWITCHER_PAGES, fallback);
  const launch = LAUNCH_PAGE.exec(target);
  return launch ? `/roles/${launch[1]}` : target;
}
