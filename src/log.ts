import { setTimeout as sleep } from 'node:timers/promises';
import { pino, type Logger, type DestinationStream } from 'pino';
import { backloggedDestination, exitingNow, flushAuditStream, waitingForReader, type FileDestination } from './log-backlog.js';
import { auditLostAtExit, openStdoutDestination, stdoutDestination, TurnBatchedDestination } from './log-destination.js';

export { stderrIsStdout } from './log-destination.js';
import { redact } from './log-redaction.js';

export type { Logger };
export {
  AUDIT_RECORD_DROPPED,
  flushAuditStream,
  STOP_WAIT_MS,
  stopWaitingForReaders,
  waitForReadersAtStop,
  type FileDestination,
} from './log-backlog.js';

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
 * level info whatever `log.level` says (on stdout, through its `audit` way in: a record stdout
 * refuses is kept or dropped, and AuditLog told, as with a file); `stdout`, `stderr` or a file
 * path give it a stream of its own, with `stream: 'audit'`: on the main log's stdout through its
 * `auditAtOnce` way in. Same redaction as the main log.
 */
export function createAuditLogger(main: Logger, destination: string, stream?: DestinationStream): Logger {
  const mainStream = (main as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (destination === 'log' && !stream) {
    if (mainStream instanceof TurnBatchedDestination) return createLogger({ level: 'info', destination: mainStream.audit });
    return main.child({}, { level: 'info' });
  }
  // On the main log's own stdout (or a stderr that is the same open file: `2>&1`, journald), a
  // second writer could put its line inside one a partial write to a full pipe cut: one writes both.
  const stdout = openStdoutDestination();
  const shared =
    !stream &&
    stdout !== undefined &&
    mainStream === stdout &&
    (destination === 'stdout' || (destination === 'stderr' && stdout.sharesStderr()));
  const own = shared ? stdout.auditAtOnce : (stream ?? auditDestination(destination));
  return createLogger({ level: 'info', destination: own }).child({ stream: 'audit' });
}

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
  // Before the main log's exit hook (stdoutDestination's): the rest of a record a partial write cut
  // on stderr is written (or given up) before stdout's notice goes there, not after it.
  if (auditDestinations.size === 0) process.prependOnceListener('exit', auditAtExit);
  auditDestinations.set(destination, created);
  return created;
}

/**
 * At the exit (after a graceful stop's drainAuditBacklog, or without one; before stdout's exit
 * hook), what the audit destinations still keep is tried once more, waiting for a full pipe's reader
 * until the deadline stdout's exit hook shares (the stop's, else STOP_WAIT_MS); what is still not
 * written is named.
 */
function auditAtExit(): void {
  exitingNow();
  for (const [destination, stream] of auditDestinations) {
    const pendingBytes = flushAuditStream(stream);
    if (pendingBytes > 0) auditLostAtExit(destination, pendingBytes);
  }
}

/**
 * The audit stream on a file this process opened itself (`rambridge sessions revoke`), with the
 * same backlog as serve's; not reopened on SIGHUP, nor written by flushAuditBacklog: see flushAuditStream.
 */
export function auditDescriptorDestination(fd: number): FileDestination {
  return backloggedDestination(fd);
}

/**
 * Tries once more to write the records the audit destinations (and the main log's stdout, for
 * `audit.destination: log`) kept while they refused writes, and answers how many bytes are still
 * not written (lost when the process exits).
 */
export function flushAuditBacklog(): number {
  let pending = openStdoutDestination()?.flushBacklog() ?? 0;
  for (const stream of auditDestinations.values()) pending += flushAuditStream(stream);
  return pending;
}

/**
 * At a graceful stop, until its `deadline` (performance.now(), as waitForReadersAtStop answers; serve: the shutdown grace from the stop's start, which
 * the connections share, and so does the exit hook that runs next): while what is kept waits for a
 * full pipe's reader, tries it again every 50 ms until it is written, without holding up the event
 * loop (a second signal still exits at once); answers how many bytes are still not written.
 * `flush` tries what is kept once (`sessions revoke`: its own audit stream's).
 */
export async function drainAuditBacklog(deadline: number, flush: () => number = flushAuditBacklog): Promise<number> {
  for (;;) {
    const pending = flush();
    const left = deadline - performance.now();
    if (pending === 0 || left <= 0 || !waitingForReader()) return pending;
    await sleep(Math.min(50, left));
  }
}

/**
 * At a stop, audit records still not written are named: in the main log, or on stderr while the
 * main log is a stdout that refuses writes (it would drop the line).
 */
export function auditLostAtStop(logger: Logger, pendingBytes: number): void {
  const stream = (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym];
  if (stream instanceof TurnBatchedDestination && stream.refusing)
    stream.lost(pendingBytes, 'audit-write-failed', 'audit records not written at stop');
  else logger.error({ event: 'audit-write-failed', pendingBytes }, 'audit records not written at stop');
}

/** A logger that drops everything (tests that do not look at logs). */
export function silentLogger(): Logger {
  // Writing nowhere as well as at level silent: the audit logger, a child at level info whatever
  // the main level (createAuditLogger), must not print a silenced bridge's records either.
  return pino({ level: 'silent' }, { write: () => undefined });
}
