import { pino, type Logger, type DestinationStream } from 'pino';
import { stdoutDestination } from './log-destination.js';
import { redact } from './log-redaction.js';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  /** Where lines go (default: stdout, once per event-loop turn); tests pass an in-memory stream to assert on them. */
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
    options.destination ?? stdoutDestination(),
  );
}

/**
 * The audit stream's logger (`audit.destination`): `log` writes into the main log's stream, but at
 * level info whatever `log.level` says; `stdout`, `stderr` or a file path give it a stream of its
 * own. Same redaction as the main log.
 */
export function createAuditLogger(main: Logger, destination: string, stream?: DestinationStream): Logger {
  if (destination === 'log' && !stream) return main.child({}, { level: 'info' });
  return createLogger({ level: 'info', destination: stream ?? auditDestination(destination) }).child({ stream: 'audit' });
}

export type FileDestination = ReturnType<typeof pino.destination>;
/** Records kept in memory while the audit destination refuses writes (a full disk), at most. */
const AUDIT_BACKLOG_BYTES = 4 * 1024 * 1024;
const auditDestinations = new Map<string, FileDestination>();

/**
 * One open stream per audit destination for the life of the process. A configuration reload
 * (SIGHUP) builds the app again: it gets the same stream, reopened, so no descriptor leaks and a
 * log rotator that moved the file and sent SIGHUP sees the new file written from then on.
 */
function auditDestination(destination: string): FileDestination {
  const open = auditDestinations.get(destination);
  if (open) {
    try {
      if (destination !== 'stdout' && destination !== 'stderr') open.reopen();
    } catch {
      // Reopened, but the records kept from a failing destination could not be written yet: the
      // next record tries again, and AuditLog tells the main log if that fails.
    }
    return open;
  }
  const created = backloggedDestination(destination === 'stdout' ? 1 : destination === 'stderr' ? 2 : destination);
  auditDestinations.set(destination, created);
  return created;
}

/**
 * The audit stream on a file this process opened itself (`rambridge sessions revoke`), with the
 * same backlog as serve's; not reopened on SIGHUP, nor written by flushAuditBacklog: see flushAuditStream.
 */
export function auditDescriptorDestination(fd: number): FileDestination {
  return backloggedDestination(fd);
}

function backloggedDestination(dest: string | number): FileDestination {
  const created = pino.destination({ dest, mkdir: true, sync: true, maxLength: AUDIT_BACKLOG_BYTES });
  // A write that fails (ENOSPC, EIO) throws and its record stays buffered, written once the
  // destination takes writes again. A record past the cap is dropped by sonic-boom before any write
  // is tried, so a full backlog would never be retried: try it first (`write('')` adds nothing,
  // never drops, and writes the backlog), and queue the record if it fits now. Otherwise throw, so
  // AuditLog counts it as dropped rather than taking it for written.
  created.on('drop', (data: string) => {
    try {
      created.write('');
    } catch {
      // Still refused: the record is dropped below.
    }
    if (pendingBytes(created) + Buffer.byteLength(data) <= AUDIT_BACKLOG_BYTES) {
      created.write(data);
      return;
    }
    throw Object.assign(new Error('audit backlog full: record dropped'), { code: AUDIT_RECORD_DROPPED });
  });
  return created;
}

/** The code of the error a write throws when the audit backlog is full and the record is lost. */
export const AUDIT_RECORD_DROPPED = 'EAUDITBACKLOG';

/** Bytes held in memory, not yet written (sonic-boom keeps the count in `_len`). */
function pendingBytes(stream: FileDestination): number {
  return (stream as unknown as { _len: number })._len;
}

/**
 * At a graceful stop: tries once more to write the records the audit destinations kept while they
 * refused writes, and answers how many bytes are still not written (lost when the process exits).
 */
export function flushAuditBacklog(): number {
  let pending = 0;
  for (const stream of auditDestinations.values()) pending += flushAuditStream(stream);
  return pending;
}

/** Tries once more to write what one audit stream kept; answers how many bytes are still not written. */
export function flushAuditStream(stream: FileDestination): number {
  if (pendingBytes(stream) === 0) return 0;
  try {
    stream.write('');
  } catch {
    // Still refused: counted below.
  }
  return pendingBytes(stream);
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  // Writing nowhere as well as at level silent: the audit logger, a child at level info whatever
  // the main level (createAuditLogger), must not print a silenced bridge's records either.
  return pino({ level: 'silent' }, { write: () => undefined });
}
