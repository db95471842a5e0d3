import { ConfigInvalid } from '../../../src/config/index.js';
import type { Identity } from '../../../src/idp/identity.js';
import { isAdministrator, noRolesPage } from '../../../src/web/no-roles.js';
import { configFromYaml } from '../../helpers/config.js';

/** The `support` block: who users without roles ask, and who sees the admin command. */
const user = (groups: string[]): Identity => ({
  idp: 'corp',
  issuer: 'https://idp.example.com',
  subject: 's-1',
  email: "o'brien@example.com",
  groups,
  amr: ['pwd'],
});

function problems(yaml: string): string[] {
  try {
    configFromYaml(yaml);
    return [];
  } catch (err) {
    if (err instanceof ConfigInvalid) return err.problems.map((p) => p.path);
    throw err;
  }
}

test('optional: without it there is no contact and no administrator', () => {
  const config = configFromYaml('');
  expect(config.support).toEqual({ adminGroups: [] });
  expect(noRolesPage(config, user(['anything']))).toEqual({ groupClaims: ['groups'], support: {} });
});

test('administrators by exact group or glob; the command quotes what the IdP sent', () => {
  const config = configFromYaml('support: {contact: IT, url: "https://desk.example.com/", adminGroups: [cloud-admin, "ops-*"]}');
  expect(isAdministrator(config, user(['cloud-admin']))).toBe(true);
  expect(isAdministrator(config, user(['ops-emea']))).toBe(true);
  expect(isAdministrator(config, user(['cloud-admins', 'Ops-emea']))).toBe(false);
  expect(noRolesPage(config, user(['ops-emea', 'x y']))).toEqual({
    groupClaims: ['groups'],
    support: { contact: 'IT', url: 'https://desk.example.com/' },
    adminCommand: "rambridge explain -c CONFIG.yaml --idp 'corp' --groups 'ops-emea,x y' --email 'o'\\''brien@example.com' --amr 'pwd'",
  });
  expect(noRolesPage(config, user(['dev'])).adminCommand).toBeUndefined();
  // --groups splits on commas: a group holding one goes whole in a --group of its own.
  expect(noRolesPage(config, user(['ops-emea', 'x,cloud-admin'])).adminCommand).toBe(
    "rambridge explain -c CONFIG.yaml --idp 'corp' --groups 'ops-emea' --group 'x,cloud-admin' --email 'o'\\''brien@example.com' --amr 'pwd'",
  );
});

test("with adminIdps, only members signed in through one of those IdPs are administrators (group names are each IdP's own)", () => {
  const config = configFromYaml('support: {adminGroups: [cloud-admin], adminIdps: [corp]}');
  expect(isAdministrator(config, user(['cloud-admin']))).toBe(true);
  expect(isAdministrator(config, { ...user(['cloud-admin']), idp: 'partner' })).toBe(false);
  expect(noRolesPage(config, { ...user(['cloud-admin']), idp: 'partner' }).adminCommand).toBeUndefined();
});

test('a contact link must be http(s), a contact not empty, and nothing unknown', () => {
  expect(problems('support: {url: "javascript:alert(1)"}')).toEqual(['support.url']);
  expect(problems('support: {contact: "  "}')).toEqual(['support.contact']);
  expect(problems('support: {admins: [x]}')).toEqual(['support.admins']);
});
