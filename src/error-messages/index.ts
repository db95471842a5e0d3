import { sentencesEn } from './en.js';

export { sentencesEn } from './en.js';
export { sentencesZhCN } from './zh-CN.js';

/**
 * Error sentences by key. A BridgeError is thrown with `sentence(key, values)`: a misspelled key, a
 * missing or an extra value fails to compile, because each key's placeholders are read out of its
 * English template by the type below. The English text is filled in where the error is made (logs,
 * the CLI, JSON bodies read it); a page in another language fills that language's template with the
 * same values (src/web/i18n/error-text.ts).
 */
export type SentenceKey = keyof typeof sentencesEn;

export type { SentenceCatalogue } from './en.js';

/** Characters that make a `{…}` text rather than a placeholder (`{role, durationSeconds}`, `{credentials_file: …}`). */
type NotWord = ' ' | ',' | ':' | '?' | '.' | '{' | '…';

/** The placeholder names of a template: `'{idp} could not be reached.'` → `'idp'`. */
export type Placeholders<T extends string> = T extends `${string}{${infer Name}}${infer Rest}`
  ? (Name extends '' | `${string}${NotWord}${string}` ? never : Name) | Placeholders<Rest>
  : never;

export type SentenceValues = Readonly<Record<string, string | number>>;

/** The values argument of `sentence(key, …)`: none for a template without placeholders, else exactly its names. */
type ValuesFor<K extends SentenceKey> = [Placeholders<(typeof sentencesEn)[K]>] extends [never]
  ? []
  : [values: { readonly [Name in Placeholders<(typeof sentencesEn)[K]>]: string | number }];

/** A sentence of the catalogue with the values of its placeholders, in no language yet. */
export interface Sentence {
  readonly key: SentenceKey;
  readonly values: SentenceValues;
}

export function sentence<K extends SentenceKey>(key: K, ...[values]: ValuesFor<K>): Sentence {
  return { key, values: values ?? {} };
}

/** Fills `{name}` placeholders; an unknown one stays as written, so a mistake shows rather than vanishes. */
export function fill(template: string, values: SentenceValues = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

/** The sentence in English, as BridgeError's userMessage and hint hold it. */
export function english({ key, values }: Sentence): string {
  return fill(sentencesEn[key], values);
}
