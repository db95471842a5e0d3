import { createHash } from 'node:crypto';

/**
 * Server-rendered pages without a template engine: a tagged template that escapes every
 * interpolated value unless it is already Html. Escaping is the default, so forgetting it is
 * impossible rather than a review finding.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The five characters that matter in HTML text and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** `html\`<p>${untrusted}</p>\`` — values are escaped; arrays are joined; Html passes through. */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const render = (v: unknown): string => {
    if (v instanceof Html) return v.value;
    if (Array.isArray(v)) return v.map(render).join('');
    if (v === undefined || v === null) return '';
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return escapeHtml(String(v));
    return escapeHtml(JSON.stringify(v) ?? '');
  };
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]) : ''), ''));
}

const STYLE =
  'body{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem;color:#222}' +
  'dt{font-weight:600;margin-top:.6rem}dd{margin:0;font-family:monospace}pre{background:#f4f4f4;padding:.8rem;overflow:auto}' +
  '.banner{background:#ff6a00;color:#fff;padding:.4rem .8rem;font-size:.9rem}button{margin:.2rem 0}';

/** The only inline content pages carry, allowed by hash instead of 'unsafe-inline'. */
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/**
 * Built outside the html`` template so a formatter cannot add whitespace inside the element: the
 * browser hashes the element's exact text, and any other text than STYLE is refused by the CSP.
 */
const STYLE_ELEMENT = new Html(`<style>${STYLE}</style>`);

/** CSP for every emulator page: no scripts at all, forms post back to the emulator only. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** A complete page. The banner says plainly that this is not Alibaba Cloud. */
export function page(title: string, body: Html): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title} · rambridge emulator</title>
        ${STYLE_ELEMENT}
      </head>
      <body>
        <div class="banner">rambridge Alibaba Cloud emulator: local stand-in, not Alibaba Cloud</div>
        <h1>${title}</h1>
        ${body}
      </body>
    </html>`.value;
}
