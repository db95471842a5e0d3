import { helpEn, type HelpCatalogue, type HelpKey } from './help-en.js';
import { helpZhCN } from './help-zh-CN.js';
import { currentLanguage, type Language } from './index.js';

export const HELP_LANGUAGES = { en: helpEn, 'zh-CN': helpZhCN } as const satisfies Record<Language, HelpCatalogue>;

/**
 * A text of `--help` in the language chosen at start-up. Called while the command tree is built,
 * which main() does after useLanguage(): a description looked up at import time would always be English.
 */
export function helpText(key: HelpKey, language: Language = currentLanguage()): string {
  return HELP_LANGUAGES[language][key];
}
