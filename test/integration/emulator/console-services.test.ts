import * as $Sts from '@alicloud/sts20150401';
import { DEV, rolePair, roleArn, samlProviderArn, sdkClient, startHarness, type Harness } from '../../helpers/emulator-harness.js';
import { demoConfig } from '../../helpers/config.js';

/**
 * The console pages per service (`/console/<service>[/<region>]`): each says which service and
 * region it is, and which role in which account is signed in. The demo's console destinations
 * must all be such pages.
 */
let h: Harness;
let cookie: string;
beforeAll(async () => {
  h = await startHarness();
  const { body } = await sdkClient(h.url).assumeRoleWithSAML(
    new $Sts.AssumeRoleWithSAMLRequest({
      roleArn: roleArn(DEV, 'saml-admin'),
      SAMLProviderArn: samlProviderArn(DEV),
      SAMLAssertion: h.saml([rolePair(DEV, 'saml-admin')]),
    }),
  );
  const c = body!.credentials!;
  const federation = (params: Record<string, string>) =>
    fetch(`${h.url}/federation?${new URLSearchParams(params)}`, { redirect: 'manual' });
  const token = await federation({
    Action: 'GetSigninToken',
    AccessKeyId: c.accessKeyId!,
    AccessKeySecret: c.accessKeySecret!,
    SecurityToken: c.securityToken!,
    TicketType: 'mini',
  }).then((r) => r.json() as Promise<{ SigninToken: string }>);
  const login = await federation({
    Action: 'Login',
    LoginUrl: 'http://127.0.0.1:8080/roles',
    Destination: `${h.url}/console/ecs/cn-hangzhou`,
    SigninToken: token.SigninToken,
  });
  expect([login.status, login.headers.get('location')]).toEqual([302, `${h.url}/console/ecs/cn-hangzhou`]);
  cookie = login.headers
    .getSetCookie()
    .find((v) => v.startsWith('emulator_console='))!
    .split(';')[0]!;
});
afterAll(() => h.close());

const open = (path: string) => fetch(`${h.url}${path}`, { headers: { cookie } });
const testId = (page: string, id: string) => new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(page)?.[1];
const serviceOf = (page: string) => /data-testid="console-service" data-service="([^"]+)"/.exec(page)?.[1];

describe('GET /console/<service>[/<region>]', () => {
  test.each([
    ['/console/ecs/cn-hangzhou', 'ecs', 'Elastic Compute Service (ECS)', 'cn-hangzhou', 'ECS console · cn-hangzhou'],
    ['/console/oss/ap-southeast-1', 'oss', 'Object Storage Service (OSS)', 'ap-southeast-1', 'OSS console · ap-southeast-1'],
    ['/console/ram', 'ram', 'Resource Access Management (RAM)', 'global', 'RAM console'],
    ['/console/ram/cn-hangzhou', 'ram', 'Resource Access Management (RAM)', 'global', 'RAM console'],
    [
      '/console/actiontrail/cn-hangzhou/events',
      'actiontrail',
      'ActionTrail (ActionTrail)',
      'cn-hangzhou',
      'ActionTrail console · cn-hangzhou',
    ],
    ['/console/ecs/instances', 'ecs', 'Elastic Compute Service (ECS)', 'not chosen', 'ECS console'],
  ])('%s: service %s, region, role and account', async (path, service, name, region, title) => {
    const res = await open(path);
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(serviceOf(page)).toBe(service);
    expect(testId(page, 'console-service')).toBe(name);
    expect(testId(page, 'console-region')).toBe(region);
    expect(page).toContain(`<title>${title} · rambridge emulator</title>`);
    expect(testId(page, 'console-role-arn')).toBe(roleArn(DEV, 'saml-admin'));
    expect(testId(page, 'console-account-id')).toBe(DEV);
    expect(page).toMatch(
      /data-testid="console-summary">\s*Signed in as <strong>saml-admin<\/strong> in account 1111222233334444 \(dev\)\./,
    );
  });

  test('the console home and unknown services keep the plain page, without service or region', async () => {
    for (const path of ['/console', '/console/rds/cn-hangzhou', '/console/constructor']) {
      const page = await (await open(path)).text();
      expect(page).not.toContain('data-testid="console-service"');
      expect(testId(page, 'console-role-arn')).toBe(roleArn(DEV, 'saml-admin'));
      expect(page).toContain('<title>Alibaba Cloud console · rambridge emulator</title>');
    }
  });

  test('a region that does not exist is 404, as the real console would not show it', async () => {
    const res = await open('/console/ecs/cn-atlantis');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('data-testid="console-unknown-region">ECS has no region "cn-atlantis".<');
  });

  test('without a console session a service page is 401 like the home', async () => {
    const res = await fetch(`${h.url}/console/ecs/cn-hangzhou`);
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('data-testid="console-signed-out"');
  });

  test("every demo console destination is such a page, with the destination's service and region", async () => {
    const { alibaba } = await demoConfig();
    expect(alibaba.consoleDestinations.map((d) => d.service)).toEqual(['ecs', 'oss', 'ram', 'actiontrail']);
    for (const destination of alibaba.consoleDestinations) {
      const page = await (await open(new URL(destination.url).pathname)).text();
      expect([serviceOf(page), testId(page, 'console-region')]).toEqual([destination.service, destination.region ?? 'global']);
    }
  });
});
