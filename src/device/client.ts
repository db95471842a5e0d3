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

// Control characters, line separators and bidi controls: a right-to-left override could make a
// host name read as another one on the confirmation page.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSHOWABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

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
