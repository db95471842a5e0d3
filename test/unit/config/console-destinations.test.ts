import { destinationForService, resolveDestination, serviceNames } from '../../../src/console/destinations.js';
import { ConfigInvalid } from '../../../src/config/index.js';
import { isBridgeError } from '../../../src/errors.js';
import { configFromYaml } from '../../helpers/config.js';

/** `alibaba.consoleDestinations` with `service` and `region`, and the lookup behind `?service=`. */

const withDestinations = (items: string) =>
  configFromYaml(
    [
      'accounts: [{alias: dev, id: "1111222233334444"}]',
      'roles: [{id: dev-admin, account: dev, role: admin}]',
      `alibaba: {consoleDestinations: [${items}]}`,
    ].join('\n'),
  );

const problems = (items: string) => {
  try {
    withDestinations(items);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigInvalid)) throw err;
    return err.problems.map((p) => `${p.path}: ${p.message}`);
  }
};

describe('alibaba.consoleDestinations', () => {
  test('a label and a URL alone stay valid (files written before services existed)', () => {
    const config = withDestinations('{label: ECS, url: "https://ecs.console.aliyun.com/"}');
    expect(config.alibaba.consoleDestinations).toEqual([{ label: 'ECS', url: 'https://ecs.console.aliyun.com/' }]);
  });

  test('service and region are checked: shapes, a region needs a service, no pair twice', () => {
    expect(problems('{label: A, url: "https://a.example/", service: ECS}')).toEqual([
      expect.stringMatching(/^alibaba\.consoleDestinations\[0\]\.service: a short lower-case name/),
    ]);
    expect(problems('{label: A, url: "https://a.example/", service: ecs, region: Hangzhou}')).toEqual([
      expect.stringMatching(/^alibaba\.consoleDestinations\[0\]\.region: an Alibaba Cloud region id/),
    ]);
    expect(problems('{label: A, url: "https://a.example/", region: cn-hangzhou}')).toEqual([
      'alibaba.consoleDestinations[0].region: a region needs a service',
    ]);
    expect(
      problems(
        [
          '{label: A, url: "https://a.example/", service: ecs, region: cn-hangzhou}',
          '{label: B, url: "https://b.example/", service: ecs, region: cn-shanghai}',
          '{label: C, url: "https://c.example/", service: ecs, region: cn-hangzhou}',
        ].join(', '),
      ),
    ).toEqual(['alibaba.consoleDestinations[2].service: service ecs in cn-hangzhou is listed twice']);
  });
});

describe('destinationForService', () => {
  const config = withDestinations(
    [
      '{label: ECS Hangzhou, url: "https://ecs.console.aliyun.com/server/region/cn-hangzhou", service: ecs, region: cn-hangzhou}',
      '{label: ECS Shanghai, url: "https://ecs.console.aliyun.com/server/region/cn-shanghai", service: ecs, region: cn-shanghai}',
      '{label: RAM, url: "https://ram.console.aliyun.com/overview", service: ram}',
      '{label: Billing, url: "https://billing.console.aliyun.com/"}',
    ].join(', '),
  );
  const { alibaba } = config;

  test('the first page of a service, or the one in the region asked for; any case', () => {
    expect(destinationForService('ecs', undefined, alibaba).label).toBe('ECS Hangzhou');
    expect(destinationForService('ECS', 'cn-shanghai', alibaba).label).toBe('ECS Shanghai');
    expect(destinationForService('ram', undefined, alibaba).url).toBe('https://ram.console.aliyun.com/overview');
  });

  test('what it finds is on the allow-list', () => {
    const found = destinationForService('ecs', 'cn-shanghai', alibaba);
    expect(resolveDestination(found.url, config.roles[0]!, alibaba)).toBe(found.url);
  });

  test('an unknown service, or a region the service is not listed in, is ERR_CONSOLE_SERVICE_UNKNOWN naming the known ones', () => {
    for (const [service, region] of [
      ['rds', undefined],
      ['ecs', 'cn-beijing'],
      ['ram', 'cn-hangzhou'],
    ] as const) {
      let thrown: unknown;
      try {
        destinationForService(service, region, alibaba);
      } catch (err) {
        thrown = err;
      }
      expect(isBridgeError(thrown, 'ERR_CONSOLE_SERVICE_UNKNOWN')).toBe(true);
      expect(thrown).toMatchObject({ status: 400, hint: 'Known services: ecs (cn-hangzhou), ecs (cn-shanghai), ram.' });
    }
    expect(serviceNames(withDestinations('{label: Billing, url: "https://billing.console.aliyun.com/"}').alibaba)).toEqual([]);
  });
});
