import { Eta } from 'eta';
import { fileURLToPath } from 'node:url';
import {
  LANGUAGE_NAMES,
  LANGUAGES,
  SENTENCE_GAP,
  translator,
  type Language,
  type MessageKey,
  type Params,
  type Translate,
} from './i18n/index.js';
import type { PageData, PageName } from './pages.js';

/**
 * Server-rendered pages, typed by the page map in pages.ts. Eta escapes every `<%= %>` output; raw
 * output (`<%~`) is only used for the layout body and for `th`, which escapes its text and values itself.
 */
export interface Views {
  render<P extends PageName>(name: P, data: PageData<P>, locale: PageLocale): string;
}

/** The request's language, and where the language switcher comes back to (middleware/language.ts). */
export interface PageLocale {
  lang: Language;
  returnTo: string;
}

/** HTML a template built with `tag`: passed into `th` unescaped. */
export class SafeHtml {
  constructor(readonly html: string) {}
}

/** What every template gets besides its page data, bound to the request's language. */
export interface PageHelpers {
  lang: Language;
  returnTo: string;
  /** The other languages, for the switcher. */
  languages: { lang: Language; name: string; current: boolean }[];
  t: Translate;
  /** Between two sentences side by side (`SENTENCE_GAP`): templates trim their own line breaks there (`_%>`). */
  gap: string;
  /** A sentence as HTML: its text escaped, each value escaped unless it is a `tag(…)`. */
  th: (key: MessageKey, params?: Readonly<Record<string, string | number | SafeHtml>>) => string;
  /** `<name attrs>text</name>` with text and attribute values escaped, for a value inside a sentence. */
  tag: (name: string, text: string, attrs?: Readonly<Record<string, string>>) => SafeHtml;
  /** Pieces of HTML as a list in the language's way (`a, b` / `a、b`). */
  join: (parts: readonly SafeHtml[]) => SafeHtml;
}

export const VIEWS_DIR = fileURLToPath(new URL('../../views', import.meta.url));

export function createViews(dir: string = VIEWS_DIR): Views {
  const eta = new Eta({ views: dir, autoEscape: true, cache: true, defaultExtension: '.eta' });
  return { render: (name, data, locale) => eta.render(`./${name}`, { ...data, ...pageHelpers(locale) }) };
}

export function pageHelpers({ lang, returnTo }: PageLocale): PageHelpers {
  const t = translator(lang);
  return {
    lang,
    returnTo,
    languages: (Object.keys(LANGUAGES) as Language[]).map((l) => ({ lang: l, name: LANGUAGE_NAMES[l], current: l === lang })),
    t,
    gap: SENTENCE_GAP[lang],
    th: (key, params = {}) => {
      const html: Params = Object.fromEntries(
        Object.entries(params).map(([name, value]) => [name, value instanceof SafeHtml ? value.html : escapeHtml(String(value))]),
      );
      // Escape the sentence around its placeholders, then put the (already safe) values in.
      return escapeHtml(t(key, Object.fromEntries(Object.keys(params).map((name) => [name, `\uE000${name}\uE000`])))).replace(
        /\uE000(\w+)\uE000/g,
        (_, name: string) => String(html[name]),
      );
    },
    tag: (name, text, attrs = {}) => {
      if (!/^[a-z][a-z0-9]*$/.test(name)) throw new Error(`not a tag name: ${name}`);
      const attributes = Object.entries(attrs)
        .map(([attr, value]) => {
          if (!/^[a-z][a-z0-9-]*$/.test(attr)) throw new Error(`not an attribute name: ${attr}`);
          return ` ${attr}="${escapeHtml(value)}"`;
        })
        .join('');
      return new SafeHtml(`<${name}${attributes}>${escapeHtml(text)}</${name}>`);
    },
    join: (parts) => new SafeHtml(parts.map((p) => p.html).join(escapeHtml(t('roles.listSeparator')))),
  };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}
