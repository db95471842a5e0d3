import type { Context } from 'koa';
import type { CheckedRoleRequest } from '../../../src/issuance/role-request.js';
import { RolePreferences } from '../../../src/preferences/index.js';
import { MemoryStore } from '../../../src/store/index.js';
import { ALICE_DEV_OPS, fakeOpForFile } from '../../helpers/fake-op.js';
import { csrfOf, signedInBrowser } from '../../helpers/web.js';

/**
 * Issue 12 items 2 and 3, the server's half: `?q=` filters without JavaScript with the CLI's
 * matcher, favourites and recents come first, the last duration is pre-selected, and deep links
 * `/roles/ROLE` accept the CLI's names for a role.
 */
const fake = fakeOpForFile();
const ALICE = ALICE_DEV_OPS;
const ALICE_ROLES = ['dev-admin', 'dev-readonly', 'prod-ops', 'prod-readonly', 'prod-auditor'];

async function signedIn(options?: Parameters<typeof signedInBrowser>[2]) {
  const signed = await signedInBrowser(fake.op, ALICE, options);
  expect(signed.page.status).toBe(200);
  const identity = { issuer: fake.op.issuer, subject: ALICE.sub };
  return { ...signed, prefs: new RolePreferences({ store: signed.store, clock: signed.clock }), identity };
}

/** Every role element of the page, in order, with whether it is hidden. */
function rolesOf(html: string): Array<{ id: string; hidden: boolean }> {
  return [...html.matchAll(/<li class="role[^"]*" data-testid="role" data-role-id="([^"]+)"[^>]*?( hidden)?>/g)].map((m) => ({
    id: m[1]!,
    hidden: m[2] !== undefined,
  }));
}
const shown = (html: string) =>
  rolesOf(html)
    .filter((r) => !r.hidden)
    .map((r) => r.id);
/** The groups' test ids (favourites, recents, account) in order, with the roles each holds. */
function groupsOf(html: string): Array<[string, string[]]> {
  return html
    .split('<section class="account')
    .slice(1)
    .map((part) => [/data-testid="(\w+)"/.exec(part)![1]!, rolesOf(part).map((r) => r.id)]);
}
const countText = (html: string) => /id="role-count"[^>]*>([^<]*)</.exec(html)?.[1];

describe('?q= filters on the server', () => {
  test('`prd ops` finds prod-ops alone, the field keeps the query, the count and the star come back here', async () => {
    const { browser } = await signedIn();
    const page = await browser.get('/roles?q=prd+ops').expect(200);
    expect(shown(page.text)).toEqual(['prod-ops']);
    // The others are in the page, hidden: clearing the filter with JavaScript brings them back.
    expect(rolesOf(page.text).map((r) => r.id)).toEqual(ALICE_ROLES);
    expect(page.text).toContain('name="q" value="prd ops"');
    expect(page.text).toContain('<form method="get" action="/roles" role="search"');
    expect(countText(page.text)).toBe('1 role');
    expect(page.text).toMatch(/id="no-match"[^>]* hidden>/);
    // The development account has no match: hidden as a whole.
    expect(page.text).toMatch(/data-account-id="1111222233334444" data-group="account" hidden>/);
    expect(page.text).toContain('name="return_to" value="/roles?q=prd+ops"');
  });

  test.each([
    ['account name', 'Production', ['prod-ops', 'prod-readonly', 'prod-auditor']],
    ['account alias', 'dev', ['dev-admin', 'dev-readonly']],
    ['RAM role name', 'rambridge-prod-auditor', ['prod-auditor']],
    ['description', 'operate production', ['prod-ops']],
    // Names first: the `ops` group grants all three prod roles, but `ops` names prod-ops.
    ['role id before granting group', 'ops', ['prod-ops']],
  ])('matches the %s', async (_field, query, expected) => {
    const { browser } = await signedIn();
    const page = await browser.get(`/roles?q=${encodeURIComponent(query)}`).expect(200);
    expect(shown(page.text)).toEqual(expected);
  });

  test('nothing matching: the message and a way back, in Chinese too', async () => {
    const { browser } = await signedIn();
    const page = await browser.get('/roles?q=zzzz').expect(200);
    expect(shown(page.text)).toEqual([]);
    expect(countText(page.text)).toBe('0 roles');
    expect(page.text).toMatch(/<p id="no-match" class="hint" data-testid="no-match">No role matches the filter. <a href="\/roles">/);
    const zh = await browser.get('/roles?q=zzzz').set('Accept-Language', 'zh-CN').expect(200);
    expect(countText(zh.text)).toBe('0 个角色');
  });

  test('each role carries its search fields, one per line, as the page script reads them', async () => {
    const { browser } = await signedIn();
    const page = await browser.get('/roles').expect(200);
    const search = /data-role-id="prod-ops" data-search="([^"]*)"/.exec(page.text)![1]!;
    expect(search.split('\n')).toEqual([
      'Production',
      'prod',
      '5555666677778888',
      'prod-ops',
      'rambridge-prod-ops',
      'Operate ECS and OSS in production.',
      'rambridge-ops',
    ]);
    expect(page.text).toContain('aria-live="polite" data-one="{count} role" data-many="{count} roles"');
    expect(countText(page.text)).toBe('5 roles');
    expect(page.text).toContain('<kbd>/</kbd>');
  });
});

describe('favourites and recents come first', () => {
  test('a star posted without JavaScript comes back to the picker with the role under Favourites', async () => {
    const { browser, csrf } = await signedIn();
    const res = await browser
      .post('/roles/favourite')
      .type('form')
      .send({ _csrf: csrf, role: 'prod-auditor', favourite: 'true', return_to: '/roles' })
      .expect(303);
    expect(res.headers.location).toBe('/roles');
    const page = await browser.get('/roles').expect(200);
    expect(groupsOf(page.text)).toEqual([
      ['favourites', ['prod-auditor']],
      ['account', ['dev-admin', 'dev-readonly']],
      ['account', ['prod-ops', 'prod-readonly']],
    ]);
    // Its star is pressed and the form now unstars it; the others star.
    const star = (id: string) =>
      new RegExp(`value="${id}">\\s*<input type="hidden" name="favourite" value="(\\w+)">[\\s\\S]*?aria-pressed="(\\w+)"`).exec(page.text)!;
    expect(star('prod-auditor').slice(1)).toEqual(['false', 'true']);
    expect(star('dev-admin').slice(1)).toEqual(['true', 'false']);
    // The role card outside its account names the account.
    const card = page.text.slice(page.text.indexOf('data-role-id="prod-auditor"'), page.text.indexOf('data-role-id="dev-admin"'));
    expect(card).toContain('Production <span class="account-id">5555666677778888</span>');
  });

  test('recently used roles (web or CLI) follow, most recent first, saying when; the last duration is pre-selected', async () => {
    const { browser, prefs, identity, clock } = await signedIn();
    await prefs.setFavourite(identity, 'dev-admin', true);
    await prefs.recordUse(identity, 'prod-readonly', 1800);
    clock.advance(60_000);
    await prefs.recordUse(identity, 'dev-admin', 7200);
    clock.advance(20 * 60_000);
    const page = await browser.get('/roles').expect(200);
    expect(groupsOf(page.text)).toEqual([
      ['favourites', ['dev-admin']],
      ['recents', ['prod-readonly']],
      ['account', ['dev-readonly']],
      ['account', ['prod-ops', 'prod-auditor']],
    ]);
    const card = (id: string) => page.text.slice(page.text.indexOf(`data-role-id="${id}"`)).split('</li>')[0]!;
    expect(card('prod-readonly')).toMatch(
      /data-testid="last-used">Last used <time datetime="[^"]+Z" title="[^"]+ UTC">21 minutes ago<\/time>/,
    );
    expect(card('dev-admin')).toContain('>20 minutes ago</time>');
    expect(card('dev-readonly')).not.toContain('last-used');
    expect(card('prod-readonly')).toContain('<option value="1800" selected>');
    expect(card('dev-admin')).toContain('<option value="7200" selected>');
    // Otherwise the usual hour.
    expect(card('dev-readonly')).toContain('<option value="3600" selected>');

    const zh = await browser.get('/roles').set('Accept-Language', 'zh-CN').expect(200);
    expect(zh.text).toContain('>21 分钟前</time>');
    expect(zh.text).toContain('<h2 id="group-favourites">收藏</h2>');
  });

  test('a last duration the picker has no step for (rambridge creds -d 45m) is offered and selected', async () => {
    const { browser, prefs, identity } = await signedIn();
    await prefs.recordUse(identity, 'dev-readonly', 2700);
    const page = await browser.get('/roles').expect(200);
    const card = page.text.slice(page.text.indexOf('data-role-id="dev-readonly"')).split('</li>')[0]!;
    expect([...card.matchAll(/<option value="(\d+)"( selected)?>/g)].map((m) => `${m[1]}${m[2] ? '*' : ''}`)).toEqual(
      expect.arrayContaining(['1800', '2700*', '3600']),
    );
  });
});

describe('nothing is offered longer than what is left of the browser session', () => {
  /** A role card’s duration choices, the selected one starred. */
  const optionsOf = (html: string, id: string) => {
    const card = html.slice(html.indexOf(`data-role-id="${id}"`)).split('</li>')[0]!;
    return [...card.matchAll(/<option value="(\d+)"( selected)?>/g)].map((m) => `${m[1]}${m[2] ? '*' : ''}`);
  };

  test('the choices and the last duration are cut to what is left, and under 15 min left the page says to sign in again', async () => {
    // Two hours of session, and the minute kept short of what is left; an idle timeout that does not end it first.
    const { browser, prefs, identity, clock } = await signedIn({
      config: (c) => {
        c.server.sessionMaxAgeSeconds = 7200 + 60;
        c.server.sessionIdleSeconds = 7200 + 60;
      },
    });
    await prefs.recordUse(identity, 'dev-admin', 7200);
    await prefs.recordUse(identity, 'prod-readonly', 2700);
    let page = await browser.get('/roles').expect(200);
    expect(optionsOf(page.text, 'dev-readonly')).toEqual(['900', '1800', '3600*', '7200']);
    expect(optionsOf(page.text, 'dev-admin')).toEqual(['900', '1800', '3600', '7200*']);

    clock.advance(4500_000); // 46 min left, 45 of them offered
    page = await browser.get('/roles').expect(200);
    // A role of up to 12 hours: the steps within the 45 minutes, the longest of them instead of the hour.
    expect(optionsOf(page.text, 'dev-readonly')).toEqual(['900', '1800*']);
    expect(page.text.slice(page.text.indexOf('data-role-id="dev-readonly"'))).toMatch(/^[^]*?· up to 30 min ·/);
    // The last 2 hours rounded down to a choice offered; the last 45 min still fits, and stays.
    expect(optionsOf(page.text, 'dev-admin')).toEqual(['900', '1800*']);
    expect(optionsOf(page.text, 'prod-readonly')).toEqual(['900', '1800', '2700*']);
    expect(page.text).not.toContain('data-testid="session-ending"');

    clock.advance(1920_000); // 14 min left: less than STS’s 900 s minimum
    page = await browser.get('/roles').expect(200);
    expect(page.text).toContain('data-testid="session-ending"');
    expect(page.text).toContain('Your rambridge session ends in 14 min: too soon for credentials');
    expect(page.text).toContain('Sign out and sign in again, then retry.');
    // The roles and their actions stay (a contract), but no length is offered and the buttons wait for a new sign-in.
    expect(rolesOf(page.text).map((r) => r.id)).toEqual(expect.arrayContaining(ALICE_ROLES));
    expect(page.text).not.toContain('data-testid="duration"');
    // Each says why (the alert); session-ending.js makes them aria-disabled, so Tab reaches them (test/e2e/session-ending.test.ts).
    const disabled = 'disabled aria-describedby="session-ending">';
    expect(page.text).toContain(`formaction="/roles/console" data-testid="open-console" ${disabled}`);
    expect(page.text).toContain(`formaction="/roles/credentials" class="secondary" data-testid="get-credentials" ${disabled}`);
    expect(page.text).toContain('<div id="session-ending" class="card error" role="alert"');
    expect(page.text).toContain('<script type="module" src="/assets/session-ending.js"></script>');
    const zh = await browser.get('/roles').set('Accept-Language', 'zh-CN').expect(200);
    expect(zh.text).toContain('你的 rambridge 会话将在 14 分钟后结束');
  });

  /** Two hours of session; the actions record what issuance was asked for. */
  async function twoHours() {
    const seen: CheckedRoleRequest[] = [];
    const record = (ctx: Context, request: CheckedRoleRequest) => {
      seen.push(request);
      ctx.body = 'done';
      return Promise.resolve();
    };
    const signed = await signedIn({
      config: (c) => {
        c.server.sessionMaxAgeSeconds = 7200;
        c.server.sessionIdleSeconds = 7200;
      },
      actions: { openConsole: record, showCredentials: record },
    });
    return { ...signed, seen };
  }

  test('a length equal to what is left is not offered: a minute is kept for pressing the button', async () => {
    const { browser, prefs, identity, clock, seen } = await twoHours();
    await prefs.recordUse(identity, 'prod-readonly', 2700);
    clock.advance((7200 - 2700) * 1000); // 45 min left: the last 45 min would be cut as soon as pressed
    let page = await browser.get('/roles').expect(200);
    expect(optionsOf(page.text, 'prod-readonly')).toEqual(['900', '1800*']);

    clock.advance(1740_000); // 16 min left: 15 offered, granted whole when pressed within the minute
    page = await browser.get('/roles').expect(200);
    expect(optionsOf(page.text, 'dev-readonly')).toEqual(['900*']);
    clock.advance(30_000);
    await browser
      .post('/roles/credentials')
      .type('form')
      .send({ _csrf: csrfOf(page.text), role: 'dev-readonly', duration: '900' })
      .expect(200);
    expect(seen.map((r) => [r.durationSeconds, r.requestedDurationSeconds])).toEqual([[900, undefined]]);

    clock.advance(30_000); // exactly 900 s left: one second later it would be refused, so nothing is offered
    page = await browser.get('/roles').expect(200);
    expect(optionsOf(page.text, 'dev-readonly')).toEqual([]);
    expect(page.text).toContain('data-testid="session-ending"');
    expect(page.text).toContain('data-testid="open-console" disabled aria-describedby="session-ending">');
    // Said truthfully: not "ends in 15 min: too soon for credentials, which last at least 15 min".
    expect(page.text).toContain('Your rambridge session ends in under 16 min: too soon to offer credentials, which last at least 15 min');
    expect(page.text).not.toContain('ends in 15 min');
    const zh = await browser.get('/roles').set('Accept-Language', 'zh-CN').expect(200);
    expect(zh.text).toContain('你的 rambridge 会话将在 16 分钟内结束，来不及提供凭证：凭证至少有效 15 分钟');
    // Not offered, but a form sent at once (an older page) is still granted, whole: it ends with the session.
    await browser
      .post('/roles/credentials')
      .type('form')
      .send({ _csrf: csrfOf(page.text), role: 'dev-readonly', duration: '900' })
      .expect(200);
    expect(seen.at(-1)).toMatchObject({ durationSeconds: 900 });
  });

  test('back from sign-in to a role with the session ending: the alert is the only message, and session-ending.js focuses it', async () => {
    const { browser, clock } = await twoHours();
    clock.advance((7200 - 840) * 1000); // 14 min left
    const page = await browser.get('/roles/dev-readonly?action=console').expect(200);
    expect(page.text).not.toContain('data-testid="resume-notice"');
    expect(page.text).not.toContain('Press Open console to continue');
    expect(page.text).not.toContain('data-focus-role');
    expect(page.text).toContain('role="alert" tabindex="-1" data-testid="session-ending" data-focus-self>');
    expect(page.text).toContain('<script type="module" src="/assets/session-ending.js"></script>');
    expect(page.text).not.toContain('resume.js');
    expect(page.text).toContain('data-testid="open-console" disabled aria-describedby="session-ending">');
    // Not back from sign-in: the alert, not focused, and no resume.js.
    const plain = await browser.get('/roles/dev-readonly').expect(200);
    expect(plain.text).toContain('data-testid="session-ending">');
    expect(plain.text).not.toContain('data-focus-self');
    expect(plain.text).not.toContain('resume.js');
  });
});

describe('deep links /roles/ROLE take the names the CLI takes', () => {
  test.each([
    ['the id', 'prod-ops'],
    ['the RAM role name', 'rambridge-prod-ops'],
    ['the id without its account prefix', 'ops'],
    ['the ARN', encodeURIComponent('acs:ram::5555666677778888:role/rambridge-prod-ops')],
    ['a unique fuzzy match', 'prd%20ops'],
  ])('%s shows that role alone, highlighted, with "show all roles"', async (_how, alias) => {
    const { browser } = await signedIn();
    const page = await browser.get(`/roles/${alias}`).expect(200);
    expect(rolesOf(page.text)).toEqual([{ id: 'prod-ops', hidden: false }]);
    expect(page.text).toContain('<li class="role highlighted" data-testid="role" data-role-id="prod-ops"');
    expect(page.text).toMatch(/<a href="\/roles" data-testid="show-all-roles">Show all roles<\/a>/);
    expect(page.text).not.toContain('roles match');
  });

  test('an ambiguous name shows every role it names, saying how many', async () => {
    const { browser } = await signedIn();
    const page = await browser.get('/roles/readonly').expect(200);
    expect(shown(page.text)).toEqual(['dev-readonly', 'prod-readonly']);
    expect(page.text).not.toContain('class="role highlighted"');
    expect(page.text).toContain('2 of your roles match “readonly”.');
    expect(page.text).toContain('data-testid="show-all-roles"');
  });

  test('a name none of her roles answers to: 403 with the code and the way back, logged as a refusal', async () => {
    const { browser, logLines } = await signedIn();
    const page = await browser.get('/roles/nothing-like-this').expect(403);
    expect(page.text).toContain('data-testid="error-code">ERR_ROLE_NOT_GRANTED</code>');
    expect(page.text).toContain('<a class="button" href="/roles" data-testid="show-all-roles">Show all roles</a>');
    expect(rolesOf(page.text)).toEqual([]);
    expect(logLines.some((l) => l.includes('"event":"role-refused"') && l.includes('nothing-like-this'))).toBe(true);
  });

  test('favourites and recents do not reorder a deep link, but its star and last use show', async () => {
    const { browser, prefs, identity } = await signedIn();
    await prefs.setFavourite(identity, 'prod-readonly', true);
    const page = await browser.get('/roles/readonly').expect(200);
    expect(groupsOf(page.text)).toEqual([
      ['account', ['dev-readonly']],
      ['account', ['prod-readonly']],
    ]);
    expect(page.text).toMatch(/value="prod-readonly">\s*<input type="hidden" name="favourite" value="false">/);
  });
});

test('when the store cannot read the preferences, the picker still shows every role (and says so in the log)', async () => {
  /** A store whose preference records cannot be read: sessions and the rest work. */
  class NoPreferences extends MemoryStore {
    override find<T>(key: string): Promise<T | undefined> {
      return key.startsWith('prefs:') ? Promise.reject(new Error('store unavailable')) : super.find<T>(key);
    }
  }
  const { page, logLines } = await signedInBrowser(fake.op, ALICE, { store: (clock) => new NoPreferences(clock) });
  expect(page.status).toBe(200);
  expect(shown(page.text)).toEqual(ALICE_ROLES);
  expect(logLines.some((l) => l.includes('"event":"preferences-not-read"'))).toBe(true);
});
