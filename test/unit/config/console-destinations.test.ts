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

describe('resolveDestination', () => {
  // Configuration is not normalised: bare origins as an administrator writes them, and the site default.
  const config = configFromYaml(
    [
      'accounts: [{alias: dev, id: "1111222233334444"}]',
      'roles: [{id: dev-admin, account: dev, role: admin, consoleDestination: "https://ram.console.aliyun.com"}]',
      'alibaba:',
      '  consoleDestinations:',
      '    - {label: ECS, service: ecs, url: "https://ecs.console.aliyun.com"}',
      '    - {label: OSS, url: "https://OSS.console.aliyun.com/bucket/"}',
    ].join('\n'),
  );
  const { alibaba } = config;
  const role = config.roles[0]!;
  const refused = (requested: unknown) => {
    try {
      resolveDestination(requested, role, alibaba);
      return false;
    } catch (err) {
      return isBridgeError(err, 'ERR_DESTINATION_NOT_ALLOWED');
    }
  };

  test('a configured bare origin, the site console home and the role destination are allowed when asked for', () => {
    expect(alibaba.consoleUrl).toBe('https://home.console.alibabacloud.com');
    const ecs = destinationForService('ecs', undefined, alibaba).url;
    for (const url of [ecs, alibaba.consoleUrl, role.consoleDestination!]) {
      expect(resolveDestination(url, role, alibaba)).toBe(url);
      expect(resolveDestination(new URL(url).href, role, alibaba)).toBe(new URL(url).href);
    }
    expect(resolveDestination(undefined, role, alibaba)).toBe('https://ram.console.aliyun.com');
  });

  test('a prefix matches in normalised form; a bare origin is an exact entry, not a prefix', () => {
    expect(resolveDestination('https://oss.console.aliyun.com/bucket/a/b', role, alibaba)).toBe(
      'https://oss.console.aliyun.com/bucket/a/b',
    );
    expect(refused('https://oss.console.aliyun.com/other')).toBe(true);
    expect(refused('https://ecs.console.aliyun.com/server')).toBe(true);
    expect(refused('https://home.console.alibabacloud.com/x')).toBe(true);
  });

  test('userinfo, case, default-port, backslash and other-host tricks are still refused', () => {
    for (const url of [
      'https://user@ecs.console.aliyun.com/',
      'https://user:pw@ecs.console.aliyun.com',
      'https://ECS.console.aliyun.com/',
      'HTTPS://ecs.console.aliyun.com/',
      'https://ecs.console.aliyun.com:443/',
      'https://ecs.console.aliyun.com.',
      'https://oss.console.aliyun.com/bucket/..\\..\\evil',
      'https://oss.console.aliyun.com\\@evil.example/bucket/',
      'http://ecs.console.aliyun.com/',
      'https://evil.example/',
      'https://evil.example',
      'javascript:alert(1)',
      'not a url',
      42,
    ]) {
      expect([url, refused(url)]).toEqual([url, true]);
    }
  });
});
