import { isBridgeError } from '../../../src/errors.js';
import { isUnsolicitedPost, MARKUP_LIMITS, MAX_SAML_RESPONSE_BYTES, prefilterPost } from '../../../src/idp/saml/prefilter.js';

/** The checks on the raw text, before any parser sees it (docs/security-reference.md §1.5 "pre"). */
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');
const RESPONSE = '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1"/>';

function codeOf(form: Record<string, unknown>): string | undefined {
  try {
    prefilterPost(form);
    return undefined;
  } catch (err) {
    if (!isBridgeError(err)) throw err;
    return err.code;
  }
}

describe('prefilterPost', () => {
  test('passes a plain response through, decoded, with or without the XML declaration and line-wrapped base64', () => {
    expect(prefilterPost({ SAMLResponse: b64(RESPONSE) }).xml).toBe(RESPONSE);
    const declared = `<?xml version="1.0" encoding="UTF-8"?>\n${RESPONSE}`;
    const wrapped = b64(declared).replace(/.{76}/g, '$&\r\n');
    expect(prefilterPost({ SAMLResponse: wrapped, RelayState: 'x'.repeat(80) })).toEqual({ base64: b64(declared), xml: declared });
  });

  test.each([
    ['a missing SAMLResponse', {}],
    ['a repeated SAMLResponse field', { SAMLResponse: [b64(RESPONSE), b64(RESPONSE)] }],
    ['text that is not base64', { SAMLResponse: '<samlp:Response/>' }],
    ['bytes that are not UTF-8', { SAMLResponse: b64(Buffer.from([0x3c, 0xff, 0xfe, 0x3e])) }],
    ['a DOCTYPE', { SAMLResponse: b64(`<!DOCTYPE x>${RESPONSE}`) }],
    ['a lower-case doctype', { SAMLResponse: b64(`<!doctype x>${RESPONSE}`) }],
    ['an entity declaration', { SAMLResponse: b64(`<!ENTITY x "y">${RESPONSE}`) }],
    ['a comment', { SAMLResponse: b64(RESPONSE.replace('/>', '><!-- x --></samlp:Response>')) }],
    ['a CDATA section', { SAMLResponse: b64(RESPONSE.replace('/>', '><![CDATA[x]]></samlp:Response>')) }],
    ['a processing instruction', { SAMLResponse: b64(`<?xml-stylesheet href="x"?>${RESPONSE}`) }],
    ['a second XML declaration', { SAMLResponse: b64(`<?xml version="1.0"?><?xml version="1.0"?>${RESPONSE}`) }],
    ['a RelayState over 80 bytes', { SAMLResponse: b64(RESPONSE), RelayState: 'é'.repeat(41) }],
  ])('%s is ERR_SAML_MALFORMED', (_name, form) => {
    expect(codeOf(form)).toBe('ERR_SAML_MALFORMED');
  });

  test('a SAMLResponse over 256 KiB is ERR_SAML_TOO_LARGE, exactly at the limit it is read', () => {
    expect(codeOf({ SAMLResponse: 'A'.repeat(MAX_SAML_RESPONSE_BYTES + 4) })).toBe('ERR_SAML_TOO_LARGE');
    expect(codeOf({ SAMLResponse: b64(`<x a="${'a'.repeat((MAX_SAML_RESPONSE_BYTES / 4) * 3 - 9)}"/>`) })).toBeUndefined();
  });

  describe('markup that would be slow to parse is refused before the parser (the envelope is parsed on the event loop)', () => {
    const response = (inner: string) =>
      `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1">${inner}</samlp:Response>`;
    const ns = (k: number) => Array.from({ length: k }, (_, i) => `<p${i}:a xmlns:p${i}="u${i}">`).join('');
    const close = (k: number) => Array.from({ length: k }, (_, i) => `</p${k - 1 - i}:a>`).join('');

    test.each([
      [
        'nesting deeper than the limit (each level declaring a namespace: ~200 ms at 5,000)',
        response(ns(MARKUP_LIMITS.depth) + close(MARKUP_LIMITS.depth)),
      ],
      ['more elements than the limit', response('<a/>'.repeat(MARKUP_LIMITS.elements))],
      [
        // xmldom searches the whole document once for each new name of an element that is not self-closing.
        'more different element names than the limit',
        response(Array.from({ length: MARKUP_LIMITS.names + 1 }, (_, i) => `<e${i}></e${i} >`).join('')),
      ],
      [
        'more attributes than the limit, on one element',
        response(`<a ${Array.from({ length: MARKUP_LIMITS.attributes }, (_, i) => `x${i}=''`).join(' ')}/>`),
      ],
    ])('%s is ERR_SAML_TOO_LARGE', (_name, xml) => {
      expect(codeOf({ SAMLResponse: b64(xml) })).toBe('ERR_SAML_TOO_LARGE');
    });

    test.each([
      // xmldom ignores an end tag that closes nothing: counted, they hid 6,000 levels of nesting.
      [
        'end tags closing nothing, ahead of deep nesting',
        response('</x>'.repeat(MARKUP_LIMITS.depth) + ns(MARKUP_LIMITS.depth) + close(MARKUP_LIMITS.depth)),
        'ERR_SAML_MALFORMED',
      ],
      ['one end tag too many', `${response('')}</samlp:Response>`, 'ERR_SAML_MALFORMED'],
      ['a tag inside a tag', response('<a <b x="1"/>'), 'ERR_SAML_MALFORMED'],
      // xmldom goes on past each of these with a warning nobody hears, and a lenient count was led
      // astray: valueless attributes went uncounted, and a stray quote hid what followed it.
      ['an attribute without a value', response('<a b/>'), 'ERR_SAML_MALFORMED'],
      [
        'an unquoted value ending in a quote',
        response(`<a b=x">${ns(MARKUP_LIMITS.depth + 5)}${close(MARKUP_LIMITS.depth + 5)}">t</a>`),
        'ERR_SAML_MALFORMED',
      ],
      ['a quote right after a quoted value', response('<a x="1""/>'), 'ERR_SAML_MALFORMED'],
      ['attributes not set off by white space', response('<a x="1"y="2"/>'), 'ERR_SAML_MALFORMED'],
      // xmldom reads every control character as white space: attributes set off by one went uncounted.
      ['a control character between attributes', response('<a\fx="1"/>'), 'ERR_SAML_MALFORMED'],
      ['a control character in text', response('<a>\u0001</a>'), 'ERR_SAML_MALFORMED'],
    ])('%s is refused before the parser', (_name, xml, code) => {
      expect(codeOf({ SAMLResponse: b64(xml) })).toBe(code);
    });

    test('a large real-shaped answer passes: 1,000 group values written as Okta writes them', () => {
      const value = (i: number) =>
        `<saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">group-${i} a&gt;b="c"</saml2:AttributeValue>`;
      const groups = Array.from({ length: 1000 }, (_, i) => value(i)).join('');
      const xml = response(
        `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion"><saml2:AttributeStatement><saml2:Attribute Name="groups">${groups}</saml2:Attribute></saml2:AttributeStatement></saml2:Assertion>`,
      );
      expect(codeOf({ SAMLResponse: b64(xml) })).toBeUndefined();
      // Quoted values are skipped: a `>` or `=` in one is text, and the level below the limit passes.
      const deep = response(ns(MARKUP_LIMITS.depth - 1).replace(/="u/g, '="u>=') + close(MARKUP_LIMITS.depth - 1));
      expect(codeOf({ SAMLResponse: b64(deep) })).toBeUndefined();
    });
  });
});

describe('isUnsolicitedPost: read from the root start tag, without parsing', () => {
  const P = 'urn:oasis:names:tc:SAML:2.0:protocol';
  const unsolicited = (xml: string) => isUnsolicitedPost({ base64: '', xml });
  test.each([
    ['a prefixed Response without InResponseTo', `<samlp:Response xmlns:samlp="${P}" ID="_1">`, true],
    ['after an XML declaration, the default namespace, single quotes', `<?xml version="1.0"?>\n<Response xmlns='${P}' ID='_1'>`, true],
    ['an InResponseTo', `<samlp:Response xmlns:samlp="${P}" InResponseTo="_r" ID="_1">`, false],
    ['an InResponseTo written with spaces around =', `<samlp:Response xmlns:samlp="${P}" InResponseTo = "_r">`, false],
    ['"InResponseTo=" inside a quoted value only', `<samlp:Response xmlns:samlp="${P}" ID="a InResponseTo=b">`, true],
    ['a Response in another namespace', `<samlp:Response xmlns:samlp="urn:example:other" ID="_1">`, false],
    ['the namespace bound to another prefix', `<samlp:Response xmlns:x="${P}" ID="_1">`, false],
    ['another root element', `<samlp:LogoutResponse xmlns:samlp="${P}" ID="_1">`, false],
    ['a prefix with regular-expression characters', `<(a+)+:Response xmlns:(a+)+="${P}">`, false],
  ])('%s: %s', (_name, xml, expected) => {
    expect(unsolicited(`${xml}</samlp:Response>`)).toBe(expected);
  });
});
