import { fill } from '../../error-messages/index.js';
import { en, type Catalogue, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export type { Catalogue, MessageKey } from './en.js';

/** The languages the web pages speak; the first is the default. */
export const LANGUAGES = { en, 'zh-CN': zhCN } as const satisfies Record<string, Catalogue>;
export type Language = keyof typeof LANGUAGES;
export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language's name in itself, for the switcher: the same in every catalogue, so not in one. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', 'zh-CN': '简体中文' };

/**
 * What goes between two sentences side by side on a page: a space in English, nothing after a
 * Chinese full stop (。). Like the names above, a property of the language, not a sentence.
 */
export const SENTENCE_GAP: Readonly<Record<Language, string>> = { en: ' ', 'zh-CN': '' };

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && Object.hasOwn(LANGUAGES, value);
}

export type Params = Readonly<Record<string, string | number>>;
/** A sentence of one language, `{name}` placeholders filled in. */
export type Translate = (key: MessageKey, params?: Params) => string;

export function translator(language: Language): Translate {
  const catalogue: Catalogue = LANGUAGES[language];
  return (key, params) => fill(catalogue[key], params);
}
