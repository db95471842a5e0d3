/**
 * The console pages the emulator stands in for: `/console/<service>[/<region>][/…]`, the shape the
 * demo's `alibaba.consoleDestinations` point at (the real consoles live on per-service hosts such
 * as ecs.console.aliyun.com, which a local stand-in cannot be). Anything else under /console is
 * the console home, as before.
 */

export interface ConsoleService {
  /** As the console's header names it. */
  title: string;
  name: string;
  /** Whether its pages are per region (RAM is global). */
  regional: boolean;
}

export const CONSOLE_SERVICES: Readonly<Record<string, ConsoleService>> = Object.freeze({
  ecs: { title: 'ECS', name: 'Elastic Compute Service', regional: true },
  oss: { title: 'OSS', name: 'Object Storage Service', regional: true },
  ram: { title: 'RAM', name: 'Resource Access Management', regional: false },
  actiontrail: { title: 'ActionTrail', name: 'ActionTrail', regional: true },
});

/** Public Alibaba Cloud region ids (mainland China and international), for telling a typo from a region. */
export const REGIONS: ReadonlySet<string> = new Set([
  'cn-qingdao',
  'cn-beijing',
  'cn-zhangjiakou',
  'cn-huhehaote',
  'cn-wulanchabu',
  'cn-hangzhou',
  'cn-shanghai',
  'cn-nanjing',
  'cn-fuzhou',
  'cn-shenzhen',
  'cn-heyuan',
  'cn-guangzhou',
  'cn-chengdu',
  'cn-wuhan-lr',
  'cn-hongkong',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-3',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'us-east-1',
  'us-west-1',
  'eu-central-1',
  'eu-west-1',
  'me-east-1',
  'me-central-1',
  'na-south-1',
]);

/** A segment shaped like a region id (`cn-hangzhou`, `ap-southeast-1`), known or not. */
const REGION_SHAPE = /^[a-z]{2,4}(-[a-z0-9]+)+$/;

export type ConsoleLocation =
  | { kind: 'home' }
  | { kind: 'service'; id: string; service: ConsoleService; region?: string }
  /** A regional service with a segment that looks like a region but is none: the real console would not show it either. */
  | { kind: 'unknown-region'; id: string; service: ConsoleService; region: string };

/** Where in the console a request path (`/console/ecs/cn-hangzhou/instances`) is. */
export function consoleLocation(path: string): ConsoleLocation {
  const [, , id, segment] = path.split('/');
  const key = (id ?? '').toLowerCase();
  // Own keys only: `/console/constructor` is no service.
  const service = Object.hasOwn(CONSOLE_SERVICES, key) ? CONSOLE_SERVICES[key] : undefined;
  if (!service) return { kind: 'home' };
  if (!service.regional || segment === undefined || !REGION_SHAPE.test(segment)) return { kind: 'service', id: key, service };
  if (!REGIONS.has(segment)) return { kind: 'unknown-region', id: key, service, region: segment };
  return { kind: 'service', id: key, service, region: segment };
}
