import { sentence } from '../../errors.js';
import { samlRefusal } from './refusal.js';

/**
 * The largest SAMLResponse field (base64) we read; ruby-saml's message_max_bytesize is 250,000. The
 * ACS route's body limit is the same, so over HTTP the body parser refuses first.
 */
export const MAX_SAML_RESPONSE_BYTES = 256 * 1024;

/**
 * Bounds on the markup, checked before any parser runs. The connector parses each answer on the
 * event loop to check its envelope before a worker verifies it, and xmldom's cost grows with the
 * markup, worst with deep nesting (5,000 nested elements each declaring a namespace: ~200 ms; a
 * 256 KiB answer of 43,000 empty elements: ~50 ms). Within these bounds the worst measured is 20–40
 * ms (10,000 namespace declarations on one element), while a real answer is far inside them: depth ~10, and 1,000 group values written as Okta
 * writes them (two namespace declarations and a type on each) are ~2,100 elements and ~3,100
 * attributes. `names`: the different names of elements that are not self-closing; xmldom searches
 * the whole document once for each new one (its `fixSelfClosed`), so 10,000 of them took 0.7–0.9 s,
 * while a real answer has fewer than ~60.
 */
export const MARKUP_LIMITS = { depth: 32, elements: 10_000, attributes: 10_000, names: 256 } as const;

/** SAML bindings §3.5.3: RelayState MUST NOT exceed 80 bytes. */
const MAX_RELAY_STATE_BYTES = 80;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const XML_DECLARATION = /^<\?xml\s[^<>?]*\?>/;

/** A SAMLResponse form field that passed the checks before parsing. */
export interface PostedResponse {
  /** The base64 text exactly as posted (whitespace removed), what node-saml decodes again. */
  base64: string;
  xml: string;
}

/**
 * Checks done on the raw text, before any XML parser sees it (docs/security-reference.md §1.5 "pre"). They can only
 * refuse. Real IdP responses contain no DOCTYPE, no comment, no CDATA section and no processing
 * instruction (gosaml2's corpus of 302 messages from many IdPs has none), while each of these has
 * been the lever of a signature bypass or a parser-differential attack somewhere.
 */
export function prefilterPost(form: Record<string, unknown>): PostedResponse {
  const posted = form.SAMLResponse;
  if (typeof posted !== 'string' || posted.length === 0) {
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'SAMLResponse missing or not a single field' });
  }
  checkRelayState(form.RelayState);
  // Some IdPs wrap base64 at 76 columns; nothing else may be in it.
  const base64 = posted.replace(/[\r\n\t ]/g, '');
  if (base64.length > MAX_SAML_RESPONSE_BYTES) {
    throw samlRefusal(
      'ERR_SAML_TOO_LARGE',
      { reason: 'SAMLResponse over 256 KiB', length: base64.length },
      { userMessage: sentence('err.ERR_SAML_TOO_LARGE') },
    );
  }
  if (!BASE64.test(base64)) throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'SAMLResponse is not base64' });
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(base64, 'base64'));
  } catch {
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'SAMLResponse is not UTF-8' });
  }
  checkMarkup(xml);
  return { base64, xml };
}

function checkRelayState(relayState: unknown): void {
  if (relayState === undefined) return;
  if (typeof relayState !== 'string' || Buffer.byteLength(relayState) > MAX_RELAY_STATE_BYTES) {
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'RelayState not a single field of at most 80 bytes' });
  }
}

/**
 * `<!` opens a DOCTYPE, ENTITY, comment or CDATA section; `<?` a processing instruction. Neither
 * may appear in well-formed XML text or attribute values unescaped, so a plain search finds them all.
 */
function checkMarkup(xml: string): void {
  const declaration = XML_DECLARATION.exec(xml)?.[0] ?? '';
  const body = xml.slice(declaration.length);
  const found = /<!DOCTYPE|<!ENTITY|<!--|<!\[CDATA\[|<!|<\?/i.exec(body)?.[0];
  if (found !== undefined) {
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: `markup refused before parsing: ${found.toUpperCase()}` });
  }
  // XML 1.0 allows no other C0 control character, and xmldom reads them all as white space: one
  // between attributes would hide them from the count below.
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/.test(body)) {
    throw samlRefusal('ERR_SAML_MALFORMED', { reason: 'markup refused before parsing: a control character' });
  }
  const size = measureMarkup(body);
  for (const limit of ['depth', 'elements', 'attributes', 'names'] as const) {
    if (size[limit] > MARKUP_LIMITS[limit]) {
      const what = { depth: 'levels of nesting', elements: 'elements', attributes: 'attributes', names: 'different element names' }[limit];
      throw samlRefusal('ERR_SAML_TOO_LARGE', { reason: `over ${MARKUP_LIMITS[limit]} ${what}` });
    }
  }
}

/**
 * Nesting depth, elements and attributes of markup already free of comments, CDATA, DOCTYPE,
 * processing instructions and control characters (checkMarkup), where `<` only ever opens a tag.
 * Start tags are read strictly, as XML writes them: `<name (S name S? = S? "value")* S? /?>`.
 * Anything else is refused here, because xmldom carries on past such errors with a warning (an
 * attribute without a value, an unquoted value, a stray quote, a `<` inside a tag, an end tag
 * that closes nothing), and a lenient count could be led to skip what the parser then reads: a
 * stray quote would have hidden everything up to the next one.
 */
function measureMarkup(xml: string): { depth: number; elements: number; attributes: number; names: number } {
  const malformed = (reason: string) => samlRefusal('ERR_SAML_MALFORMED', { reason: `markup refused before parsing: ${reason}` });
  const space = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r';
  const nameEnds = (c: string | undefined) => c === undefined || space(c) || '<>/="\''.includes(c);
  let depth = 0;
  let deepest = 0;
  let elements = 0;
  let attributes = 0;
  const names = new Set<string>();
  for (let open = xml.indexOf('<'); open !== -1;) {
    if (xml[open + 1] === '/') {
      if (--depth < 0) throw malformed('an end tag that closes nothing');
      open = xml.indexOf('<', open + 1);
      continue;
    }
    elements++;
    let i = open + 1;
    while (!nameEnds(xml[i])) i++;
    if (i === open + 1) throw malformed('a tag without a name');
    const elementName = xml.slice(open + 1, i);
    for (;;) {
      const before = i;
      while (space(xml[i])) i++;
      if (xml[i] === '>' || (xml[i] === '/' && xml[i + 1] === '>')) break;
      if (i === before) throw malformed('an attribute not set off by white space');
      const name = i;
      while (!nameEnds(xml[i])) i++;
      if (i === name) throw malformed(`${JSON.stringify(xml[i] ?? 'the end')} where an attribute belongs`);
      attributes++;
      while (space(xml[i])) i++;
      if (xml[i] !== '=') throw malformed('an attribute without a value');
      i++;
      while (space(xml[i])) i++;
      const quote = xml[i];
      if (quote !== '"' && quote !== "'") throw malformed('an attribute value without quotes');
      const close = xml.indexOf(quote, i + 1);
      if (close === -1) throw malformed('an attribute value never closed');
      i = close + 1;
    }
    if (xml[i] === '>') {
      deepest = Math.max(deepest, ++depth);
      names.add(elementName);
    }
    open = xml.indexOf('<', i);
  }
  return { depth: deepest, elements, attributes, names: names.size };
}

const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';

/**
 * Whether a posted answer is unsolicited: a protocol `Response` whose root carries no
 * `InResponseTo`. Read from the root's start tag alone, without parsing the document: an IdP
 * that may start sign-ins gets such answers from anyone, with no flow of ours to count them
 * against, and the only use of the answer is to restart a sign-in of our own (so a misreading
 * costs a restart or a refusal, never a session).
 */
export function isUnsolicitedPost(posted: PostedResponse): boolean {
  const root = protocolResponseRoot(posted);
  return root !== undefined && root.inResponseTo === undefined;
}

/**
 * The `InResponseTo` the root's start tag names, read without parsing (undefined when the root is
 * no protocol `Response`, names none, or writes it with a character reference). Only ever used to
 * refuse early an answer to another request: the parsed document is what a sign-in trusts.
 */
export function postedInResponseTo(posted: PostedResponse): string | undefined {
  const value = protocolResponseRoot(posted)?.inResponseTo;
  return value?.includes('&') ? undefined : value;
}

/** The root's start tag when it is a protocol `Response`, with its `InResponseTo` as written. */
function protocolResponseRoot({ xml }: PostedResponse): { inResponseTo: string | undefined } | undefined {
  const open = xml.indexOf('<', XML_DECLARATION.exec(xml)?.[0].length ?? 0);
  const tag = open === -1 ? '' : startTag(xml, open);
  const name = /^<([^\s/>]+)/.exec(tag)?.[1] ?? '';
  const [prefix, local] = name.includes(':') ? name.split(':', 2) : [undefined, name];
  if (local !== 'Response' || (prefix !== undefined && !/^[A-Za-z_][\w.-]*$/.test(prefix))) return undefined;
  const attribute = prefix === undefined ? 'xmlns' : `xmlns:${prefix.replace(/\./g, '\\.')}`;
  const declared = new RegExp(`\\s${attribute}\\s*=\\s*(["'])${PROTOCOL_NS.replace(/\./g, '\\.')}\\1`);
  if (!declared.test(tag)) return undefined;
  // Names only: an `InResponseTo=` inside a quoted value is text. Blanking each value's inside
  // keeps every offset, so the value found is read from the tag as written.
  const names = tag.replace(/"[^"]*"|'[^']*'/g, (quoted) => quoted[0] + ' '.repeat(quoted.length - 2) + quoted[0]);
  const found = /\sInResponseTo\s*=\s*(["'])/.exec(names);
  if (!found) return { inResponseTo: undefined };
  const start = found.index + found[0].length;
  return { inResponseTo: tag.slice(start, tag.indexOf(found[1]!, start)) };
}

/** The start tag opening at `open`, up to its `>` (one in a quoted value does not end it). */
function startTag(xml: string, open: number): string {
  let quote = '';
  for (let i = open + 1; i < xml.length; i++) {
    const c = xml[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return xml.slice(open, i + 1);
  }
  return '';
}
