import { createHash } from 'node:crypto';
import { ManualClock } from '../../../src/clock.js';
import { PAGE_CSP, html, page } from '../../../src/emulator/html.js';
import { RemoteDocuments, type Fetch } from '../../../src/emulator/remote-documents.js';

describe('html', () => {
  it('escapes every interpolated value, lists included, unless it is already Html', () => {
    const name = `<script>alert("x")</script>&'`;
    expect(html`<p title="${name}">${[name, html`<b>ok</b>`]}</p>`.value).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;<b>ok</b></p>',
    );
  });

  it("the page's one style element is exactly what the CSP hash allows (a browser would drop any other)", () => {
    const style = /<style>([\s\S]*?)<\/style>/.exec(page('t', html`<p>x</p>`))![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(PAGE_CSP).toContain(`style-src 'sha256-${hash}'`);
  });
});

describe('RemoteDocuments', () => {
  const setup = (allowInsecureLoopback = true) => {
    const clock = new ManualClock();
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fetch: Fetch = async (url, init) => {
      calls.push({ url: new Request(url).url, init });
      return new Response(`body ${calls.length}`, { status: 200 });
    };
    return { clock, calls, docs: new RemoteDocuments({ clock, fetch, allowInsecureLoopback }) };
  };

  it('reuses a document for a minute, then fetches it again, never following redirects', async () => {
    const { clock, calls, docs } = setup();
    expect(await docs.text('https://idp.example/md')).toBe('body 1');
    clock.advance(59_999);
    expect(await docs.text('https://idp.example/md')).toBe('body 1');
    expect(await docs.text('https://idp.example/md', { fresh: true })).toBe('body 2');
    clock.advance(60_000);
    expect(await docs.text('https://idp.example/md')).toBe('body 3');
    expect(calls[0]!.init?.redirect).toBe('error');
  });

  it('fetches plain http from loopback only, and only when allowed', async () => {
    await expect(setup().docs.text('http://idp.example/md')).rejects.toThrow(/loopback addresses only/);
    await expect(setup(false).docs.text('http://127.0.0.1:8080/md')).rejects.toThrow(/allowInsecureLoopbackIssuers/);
    expect(await setup().docs.text('http://127.0.0.1:8080/md')).toBe('body 1');
  });
});
