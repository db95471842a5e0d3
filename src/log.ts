import { pino, type Logger, type DestinationStream } from 'pino';
import { redact } from './log-redaction.js';

export type { Logger };

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
      // Secrets are removed from every record before it is serialised (log-redaction.ts).
      formatters: { log: (record) => redact(record) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
