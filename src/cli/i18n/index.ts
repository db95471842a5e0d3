import { en, type Catalogue, type MessageKey } from './en.js';
import { zhCN } from './zh-CN.js';

export const LANGUAGES = { en, 'zh-CN': zhCN } as const satisfies Record<string, Catalogue>;
export type Language = keyof typeof LANGUAGES;

/**
 * The CLI's language from the POSIX locale variables, in their order of precedence: LC_ALL, then
 * LC_MESSAGES, then LANG. Any Chinese locale but the traditional ones (zh_TW, zh_HK, zh_Hant) is
 * zh-CN; everything else, C and POSIX included, is English.
 */
export function cliLanguage(env: NodeJS.ProcessEnv): Language {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh(?![-_](TW|HK|MO|Hant))/i.test(locale) ? 'zh-CN' : 'en';
}

let current: Language = 'en';

/** What goes between two sentences on one line: a space in English, nothing after a Chinese 。. */
const SENTENCE_GAP: Readonly<Record<Language, string>> = { en: ' ', 'zh-CN': '' };

/** Chosen once at start-up (main); English until then, so tests and imports are deterministic. */
export function useLanguage(language: Language): void {
  current = language;
}

/** The language chosen at start-up, e.g. for the server's error texts (`Accept-Language`). */
export function currentLanguage(): Language {
  return current;
}

/** Two sentences on one line, joined the current language's way (`Ended. Log in again?`, `已结束。重新登录？`). */
export function sentences(first: string, second: string): string {
  return `${first}${SENTENCE_GAP[current]}${second}`;
}

/** A sentence of the current language, `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return LANGUAGES[current][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
