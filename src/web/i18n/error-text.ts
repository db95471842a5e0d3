import { fill, type Sentence } from '../../error-messages/index.js';
import type { BridgeError } from '../../errors.js';
import { localiseDurationText, localiseListText } from './format.js';
import { LANGUAGES, type Language } from './index.js';

/**
 * An error's message and hint in the page language. A BridgeError keeps the catalogue entries its
 * English `userMessage` and `hint` were made of (`sentences`: a key of src/error-messages/ and the
 * values of its placeholders); the page language's template is filled with those values, English
 * ones written the language's way (a duration, a list).
 */
export interface ErrorText {
  message: string;
  hint: string | undefined;
}

/** The placeholders that hold an English list (`a, b (c)`), rewritten with the language's separator and brackets. */
const LIST_PARAMS = new Set(['services', 'roles']);

/** One error sentence in `language`; in English, word for word what the BridgeError says. */
export function sentenceIn(language: Language, { key, values }: Sentence): string {
  if (language === 'en') return fill(LANGUAGES.en[key], values);
  const localised = Object.fromEntries(
    Object.entries(values).map(([name, value]) => [
      name,
      typeof value !== 'string' ? value : LIST_PARAMS.has(name) ? localiseListText(language, value) : localiseDurationText(language, value),
    ]),
  );
  return fill(LANGUAGES[language][key], localised);
}

export function errorText(err: BridgeError, language: Language): ErrorText {
  const { message, hint } = err.sentences;
  return { message: sentenceIn(language, message), hint: hint && sentenceIn(language, hint) };
}
