import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics on a registry of this app's own (not prom-client's global one, so several
 * apps in one test process do not collide). Labels are bounded and never name a user or carry a
 * secret: route templates (never raw paths), IdP and role ids from the config, error codes from
 * the BridgeError union, fixed operation names.
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
  private readonly refusals = new Counter({
    name: 'rambridge_refusals_total',
    help: 'Refused requests (coded 4xx answers) by error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private readonly issuances = new Counter({
    name: 'rambridge_issuances_total',
    help: 'Credential issuances by role id, channel and outcome',
    labelNames: ['role', 'channel', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly auditWriteFailures = new Counter({
    name: 'rambridge_audit_write_failures_total',
    help: 'Audit records the audit destination refused (full disk, read-only mount…), kept in memory to be written later',
    registers: [this.registry],
  });
  private readonly auditRecordsDropped = new Counter({
    name: 'rambridge_audit_records_dropped_total',
    help: 'Audit records lost: refused while the in-memory backlog (4 MiB) was full',
    registers: [this.registry],
  });
  private readonly sts = new Histogram({
    name: 'rambridge_sts_request_duration_seconds',
    help: 'STS calls by action and result (ok or the error code)',
    labelNames: ['action', 'result'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [this.registry],
  });
  private readonly device = new Counter({
    name: 'rambridge_device_flow_total',
    help: 'Device-flow events: started, approved, denied, and token polls by outcome',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly store = new Histogram({
    name: 'rambridge_store_operation_duration_seconds',
    help: 'Store operations by operation and result (ok or the error code)',
    labelNames: ['operation', 'result'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });

  /**
   * Labelled children by method, route and status, looked up once: prom-client otherwise hashes the
   * label object on every sample. Bounded like the labels (route templates, HTTP's own methods).
   */
  private readonly requestSeries = new Map<string, { count: { inc(): void }; duration: { observe(value: number): void } }>();
  /** Store timings by operation and result, looked up once the same way (two a `GET /api/roles`). */
  private readonly storeSeries = new Map<string, { observe(value: number): void }>();

  constructor(options: { processMetrics?: boolean } = {}) {
    // Heap, event-loop lag, GC, file descriptors: rambridge_process_*, rambridge_nodejs_*.
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

  observeRefusal(code: string): void {
    this.refusals.inc({ code });
  }

  observeIssuance(role: string, channel: string, outcome: string): void {
    this.issuances.inc({ role, channel, outcome });
  }

  observeAuditWriteFailure(dropped: boolean): void {
    (dropped ? this.auditRecordsDropped : this.auditWriteFailures).inc();
  }

  observeSts(action: string, result: string, seconds: number): void {
    this.sts.observe({ action, result }, seconds);
  }

  observeDeviceFlow(state: string): void {
    this.device.inc({ state });
  }

  observeStore(operation: string, result: string, seconds: number): void {
    const key = `${operation} ${result}`;
    let series = this.storeSeries.get(key);
    if (!series) this.storeSeries.set(key, (series = this.store.labels(operation, result)));
    series.observe(seconds);
  }
}

/** Runs `fn`, reporting its duration and result (`ok`, or the thrown error's code) to `observe`. */
export async function timed<T>(fn: () => Promise<T>, observe: (result: string, seconds: number) => void): Promise<T> {
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  try {
    const value = await fn();
    observe('ok', seconds());
    return value;
  } catch (err) {
    const code = (err as { code?: unknown })?.code;
    observe(typeof code === 'string' && /^ERR_[A-Z_]+$/.test(code) ? code : 'ERR_INTERNAL', seconds());
    throw err;
  }
}
