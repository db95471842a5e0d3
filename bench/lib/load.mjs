// One bounded autocannon run against 127.0.0.1: it stops by itself after `seconds` (or `amount`).
import autocannon from 'autocannon';

export async function load(url, { connections = 16, seconds, amount, method = 'GET', headers = {}, body } = {}) {
  const result = await autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    method,
    headers,
    body,
    timeout: 10,
  });
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    // Redirects are answers too (GET /login is a 302); errors are refusals, failures and timeouts.
    errors: result.errors + result.timeouts + result['4xx'] + result['5xx'],
    total: result.requests.total,
  };
}
