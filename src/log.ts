import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger };

/**
 * Paths that must never reach a log line: credentials, tokens, codes and cookies (SECURITY.md, "The secrets and what each protects").
 * pino's redaction matches these at any depth listed; `*.x` covers one level of nesting.
 */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  ...[
    'SAMLResponse',
    'SAMLAssertion',
    'RelayState',
    'authorization_code',
    'code_verifier',
    'state',
    'nonce',
    'id_token',
    'access_token',
    'refresh_token',
    'device_code',
    'user_code',
    'client_secret',
    'clientSecret',
    'AccessKeySecret',
    'accessKeySecret',
    'SecurityToken',
    'securityToken',
    'SigninToken',
    'OIDCToken',
    // Upstream tokens ride in the connector's data (src/idp/connector.ts), beside the identity.
    'connectorData',
    'idToken',
    'refreshToken',
    'password',
    'privateKey',
  ].flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

export interface LoggerOptions {
  level?: string;
  /** Where lines go; tests pass an in-memory stream to assert on them. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'rambridge' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
