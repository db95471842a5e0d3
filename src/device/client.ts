/** What the confirmation page shows about the device that asked (RFC 8628 §5.4). */
export interface DeviceClient {
  clientId: string;
  /** Host name the CLI reports for its machine (self-asserted: shown, never trusted). */
  host?: string;
  version?: string;
  /** Address the device authorization request came from. */
  ip: string;
  userAgent?: string;
}

// Control characters, line separators, and format characters (bidi controls, zero-width spaces
// and joiners, the word joiner, BOM, soft hyphen, tag characters: \p{Cf}) with the blank fillers
// drawn as nothing (Hangul fillers): a right-to-left override could make a host name read as
// another one on the confirmation page, an invisible character make two look the same. The CLI's
// `printable` replaces the same set, but for a joiner where it joins (test/unit/cli/terminal-injection.test.ts keeps them so).
const UNSHOWABLE = /[\p{Cc}\p{Cf}\u00ad\u115f\u1160\u2028\u2029\u3164\uffa0\u{e0000}-\u{e007f}]/gu;

/**
 * Self-reported client metadata cut down to something safe to store and show: printable
 * characters only, bounded length. Escaping for HTML is the template's job; this keeps control
 * characters and megabyte "host names" out of the store and the logs.
 */
export function cleanClientText(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(UNSHOWABLE, '').trim().slice(0, maxLength);
  return text.length > 0 ? text : undefined;
}

/** A character outside a host name's: letters, digits, dot, hyphen (and underscore, common in Windows computer names). */
const NOT_HOST_NAME = /[^A-Za-z0-9._-]/gu;
/** A character outside a version's (semver and its build metadata): letters, digits, dot, plus, hyphen. */
const NOT_VERSION = /[^A-Za-z0-9.+-]/gu;
/** How much of the User-Agent the confirmation page shows; the grant and the log keep all of it. */
export const USER_AGENT_SHOWN = 120;

const escapeVisibly = (char: string) => `\\u{${char.codePointAt(0)!.toString(16)}}`;

/**
 * What the confirmation page shows of what the device says about itself (RFC 8628 §5.4: the
 * page is where an attacker who sent the victim a code gets to write): host and version in their
 * own character sets, anything else written visibly as `\u{…}`, so a host cannot be a sentence
 * ("alice-laptop (verified)") or a look-alike, nor a version an assurance; the User-Agent cut to
 * USER_AGENT_SHOWN characters. Escaped rather than refused: a real client with an unusual
 * computer name still signs in, and its name still reads recognisably.
 */
export function shownClient(client: DeviceClient): DeviceClient {
  const userAgent = client.userAgent === undefined ? undefined : Array.from(client.userAgent);
  return {
    ...client,
    host: client.host?.replace(NOT_HOST_NAME, escapeVisibly),
    version: client.version?.replace(NOT_VERSION, escapeVisibly),
    userAgent:
      userAgent && (userAgent.length > USER_AGENT_SHOWN ? `${userAgent.slice(0, USER_AGENT_SHOWN - 1).join('')}…` : userAgent.join('')),
  };
}
