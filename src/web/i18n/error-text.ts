import { fill } from '../../error-messages/index.js';
import type { BridgeError } from '../../errors.js';
import { en, type MessageKey } from './en.js';
import { localiseDurationText, localiseListText } from './format.js';
import { LANGUAGES, type Language } from './index.js';

/**
 * An error's message and hint in the page language. BridgeError carries English sentences (its
 * `userMessage` and `hint`, written where the error is thrown); each has an entry under `err.*` or
 * `hint.*` in the catalogue, found by matching the sentence against the English template, its
 * placeholders capturing the values (an IdP's name, a parameter, a limit). The Chinese template is
 * then filled with those values. A sentence with no entry stays English: the completeness test
 * (test/unit/web/error-text.test.ts) reads every sentence out of src/ and fails on it first.
 */
export interface ErrorText {
  message: string;
  hint: string | undefined;
}

interface Pattern {
  key: MessageKey;
  regex: RegExp;
  names: string[];
}

/** The placeholders that hold an English list (`a, b (c)`), rewritten with the language's separator and brackets. */
const LIST_PARAMS = new Set(['services', 'roles']);

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const literalLength = (template: string) => template.replace(/\{\w+\}/g, '').length;

function compile(prefix: string): Pattern[] {
  return (
    (Object.keys(en) as MessageKey[])
      .filter((key) => key.startsWith(prefix))
      .map((key) => {
        const names: string[] = [];
        const source = en[key]
          .split(/(\{\w+\})/)
          .map((part) => {
            const placeholder = /^\{(\w+)\}$/.exec(part);
            if (!placeholder) return escapeRegex(part);
            names.push(placeholder[1]!);
            return '(.+?)';
          })
          .join('');
        return { key, regex: new RegExp(`^${source}$`, 's'), names };
      })
      // The most fixed text first, so the most specific template wins: "Your identity provider signed
      // you in…" before "{idp} signed you in…", "answered {stsCode} (RequestId {requestId})." before
      // "answered {stsCode}.".
      .sort((a, b) => literalLength(en[b.key]) - literalLength(en[a.key]))
  );
}

const MESSAGES = compile('err.');
const HINTS = compile('hint.');

/** The catalogue entry an English sentence comes from, with the values of its placeholders. */
export function findSentence(kind: 'message' | 'hint', text: string): { key: MessageKey; params: Record<string, string> } | undefined {
  for (const { key, regex, names } of kind === 'message' ? MESSAGES : HINTS) {
    const match = regex.exec(text);
    if (match) return { key, params: Object.fromEntries(names.map((name, i) => [name, match[i + 1]!])) };
  }
  return undefined;
}

export function translateSentence(language: Language, kind: 'message' | 'hint', text: string): string {
  if (language === 'en') return text;
  const found = findSentence(kind, text);
  if (!found) return text;
  const params = Object.fromEntries(
    Object.entries(found.params).map(([name, value]) => [
      name,
      LIST_PARAMS.has(name) ? localiseListText(language, value) : localiseDurationText(language, value),
    ]),
  );
  return fill(LANGUAGES[language][found.key], params);
}

export function errorText(err: BridgeError, language: Language): ErrorText {
  return {
    message: translateSentence(language, 'message', err.userMessage),
    hint: err.hint === undefined ? undefined : translateSentence(language, 'hint', err.hint),
  };
}
