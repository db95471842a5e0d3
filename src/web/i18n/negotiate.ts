import { DEFAULT_LANGUAGE, isLanguage, type Language } from './index.js';

/** One `Accept-Language` entry: a tag and its weight. */
interface Weighted {
  tag: string;
  q: number;
  order: number;
}

/**
 * `Accept-Language` (RFC 9110 §12.5.4) as tags by preference: highest q first, ties in the order
 * given. Malformed entries and q=0 ("not acceptable") are dropped; a malformed q counts as 0.
 */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  const entries: Weighted[] = [];
  header
    .slice(0, 1000)
    .split(',')
    .forEach((part, order) => {
      const [rawTag, ...params] = part.trim().split(';');
      const tag = rawTag?.trim() ?? '';
      if (!/^(\*|[a-z]{1,8}(-[a-z0-9]{1,8})*)$/i.test(tag)) return;
      let q = 1;
      for (const param of params) {
        const [name, value] = param.trim().split('=');
        if (name?.trim().toLowerCase() !== 'q') continue;
        q = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(value?.trim() ?? '') ? Number(value) : 0;
      }
      if (q > 0) entries.push({ tag, q, order });
    });
  return entries.sort((a, b) => b.q - a.q || a.order - b.order).map((e) => e.tag);
}

/**
 * The page language for one tag, or undefined when we have none for it. Simplified Chinese (zh,
 * zh-CN, zh-Hans, zh-SG, zh-Hans-*) is zh-CN; traditional Chinese (zh-TW, zh-HK, zh-MO, zh-Hant)
 * is not: with no traditional catalogue it is skipped, so a later zh-CN or English in the header
 * wins, and otherwise the default, English, which serves those readers better than the wrong script.
 */
export function languageForTag(tag: string): Language | undefined {
  const lower = tag.toLowerCase();
  if (lower === 'en' || lower.startsWith('en-')) return 'en';
  if (lower !== 'zh' && !lower.startsWith('zh-')) return undefined;
  const subtags = lower.split('-').slice(1);
  if (subtags.includes('hans')) return 'zh-CN';
  if (subtags.some((s) => s === 'hant' || s === 'tw' || s === 'hk' || s === 'mo')) return undefined;
  return 'zh-CN';
}

/** The first language of the header we speak; English when none is. */
export function negotiateLanguage(header: string | undefined): Language {
  for (const tag of parseAcceptLanguage(header)) {
    const language = languageForTag(tag);
    if (language) return language;
  }
  return DEFAULT_LANGUAGE;
}

/** A remembered choice (the cookie), if it names a language we speak. */
export function rememberedLanguage(value: unknown): Language | undefined {
  return isLanguage(value) ? value : undefined;
}
