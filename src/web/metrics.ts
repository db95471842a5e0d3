import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics on a registry of this app's own (not prom-client's global one, so several
 * apps in one test process do not collide). Labels are bounded: route templates, never raw paths,
 * users or role ARNs.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'rambridge_http_requests_total',
    help: 'HTTP requests by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'rambridge_http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly logins = new Counter({
    name: 'rambridge_logins_total',
    help: 'Completed or refused sign-ins by IdP and result code',
    labelNames: ['idp', 'result'] as const,
    registers: [this.registry],
  });

  /**
   * Labelled children by method, route and status, looked up once: prom-client otherwise hashes the
   * label object on every sample. Bounded like the labels (route templates, HTTP's own methods).
   */
  private readonly requestSeries = new Map<string, { count: { inc(): void }; duration: { observe(value: number): void } }>();

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'rambridge_' });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.requestSeries.get(key);
    if (!series) {
      series = { count: this.requests.labels(method, route, String(status)), duration: this.duration.labels(route) };
      this.requestSeries.set(key, series);
    }
    series.count.inc();
    series.duration.observe(seconds);
  }

  observeLogin(idp: string, result: string): void {
    this.logins.inc({ idp, result });
  }
}
