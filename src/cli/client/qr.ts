/** The part of the optional `uqr` package this uses. */
interface QrRenderer {
  renderUnicodeCompact(data: string, options?: { border?: number }): string;
}

// A variable, so TypeScript and bundlers do not insist on the package: it is optional.
const QR_MODULE = 'uqr';

/**
 * A QR code of `url` in Unicode half blocks, for scanning the verification URL with a phone.
 * `undefined` when the optional `uqr` package is not installed: a nicety must never break login.
 */
export async function renderQr(url: string): Promise<string | undefined> {
  try {
    const qr = (await import(QR_MODULE)) as QrRenderer;
    return qr.renderUnicodeCompact(url, { border: 1 });
  } catch {
    return undefined;
  }
}
