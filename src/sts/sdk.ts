import { createRequire } from 'node:module';

/**
 * The official SDK (`@alicloud/openapi-core` and `@alicloud/sts20150401`, about 13 MB resident),
 * loaded by the first STS call rather than at start: a bridge that has issued nothing yet, and
 * every process that only imports the STS types or errors, does not hold it. Both are CommonJS,
 * so a synchronous require finds them (once; later calls are a cache hit).
 */
const require = createRequire(import.meta.url);

export type OpenApiSdk = typeof import('@alicloud/openapi-core');
export type StsSdk = typeof import('@alicloud/sts20150401');

export const openApiSdk = (): OpenApiSdk => require('@alicloud/openapi-core') as OpenApiSdk;
export const stsSdk = (): StsSdk => require('@alicloud/sts20150401') as StsSdk;
