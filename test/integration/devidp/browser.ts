/**
 * Just enough of a browser to drive the IdP's pages over plain HTTP: a cookie jar (by name; one
 * flow per jar, so cookie paths can be ignored) and redirect following that stops when the IdP
 * sends the browser to another origin, i.e. back to the relying party.
 */

export type Landing = { kind: 'page'; url: string; status: number; headers: Headers; html: string } | { kind: 'left'; location: URL };

export class TinyBrowser {
  readonly #cookies = new Map<string, string>();

  constructor(private readonly origin: string) {}

  #store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      // oidc-provider clears a cookie by setting it empty with a past expiry.
      if (value === '') this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }

  async #request(url: string, init: RequestInit): Promise<Response> {
    const cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), accept: 'text/html', ...(cookie ? { cookie } : {}) },
    });
    this.#store(res);
    return res;
  }

  /** Requests `url` and follows redirects within the IdP's origin. */
  async visit(url: string | URL, init: RequestInit = {}): Promise<Landing> {
    let current = new URL(url);
    let res = await this.#request(current.href, init);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      if (hops > 10) throw new Error(`too many redirects at ${current.href}`);
      current = new URL(res.headers.get('location') ?? '', current);
      if (current.origin !== this.origin) return { kind: 'left', location: current };
      res = await this.#request(current.href, { method: 'GET' });
    }
    return { kind: 'page', url: current.href, status: res.status, headers: res.headers, html: await res.text() };
  }

  /** Submits the page's first form (its `action`, its hidden inputs) with `fields`, as a browser would. */
  async submit(page: Landing, fields: Record<string, string>): Promise<Landing> {
    if (page.kind !== 'page') throw new Error('no page to submit a form on');
    const action = /<form[^>]*action="([^"]+)"/.exec(page.html)?.[1];
    if (!action) throw new Error(`no form on ${page.url}`);
    const hidden = [...page.html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)];
    const body = new URLSearchParams(hidden.map(([, name = '', value = '']): [string, string] => [name, value]));
    for (const [name, value] of Object.entries(fields)) body.set(name, value);
    return this.visit(new URL(action.replaceAll('&amp;', '&'), page.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }
}
