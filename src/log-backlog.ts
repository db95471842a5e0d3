import { pino } from 'pino';

/**
 * Log streams that survive a destination refusing writes: what is refused is kept (bounded) and
 * written once the destination takes writes again, and a full pipe (a slow reader) is waited for,
 * within a budget, before it counts as refusing. Used by the audit stream's own destinations and,
 * under the main log's per-turn batching (log-destination.ts), by stdout.
 */

export type FileDestination = ReturnType<typeof pino.destination>;

/** Records kept in memory while the audit destination refuses writes (a full disk), at most. */
const AUDIT_BACKLOG_BYTES = 4 * 1024 * 1024;
/**
 * How long writes may wait for a slow reader to make room in a full non-blocking pipe or socket
 * (EAGAIN), in all: once they have waited that long the destination counts as refusing writes.
 * What they wait is not given back when a write goes through, only over time (FULL_WAIT_MS per
 * FULL_WINDOW_MS), so a reader that keeps up only a little ends in a refusal too, and writes wait at
 * most FULL_WAIT_MS at a time and a fifth of the time over longer. A notice on stderr gets as long.
 */
export const FULL_WAIT_MS = 2000;
const FULL_WINDOW_MS = 10_000;
/** What is held is tried again this often while the destination refuses writes (an idle process writes it too). */
const RETRY_MS = 100;
/** At an exit without a graceful stop, how long what is held may wait for a full pipe to be read. */
export const STOP_WAIT_MS = 2000;

/** The code of the error a write throws when the audit backlog is full and the record is lost. */
export const AUDIT_RECORD_DROPPED = 'EAUDITBACKLOG';

/**
 * The clock of every wait and deadline here: monotonic (performance.now()), so a wall clock stepped
 * back (NTP, a resumed VM) neither empties the budget nor holds a wait longer than it says.
 */
export const clock = (): number => performance.now();

/** The deadline of the graceful stop begun last (waitForReadersAtStop): the exit hook shares it. */
let stopBy: number | undefined;
/** Once the process exits: until when a full pipe is waited on (the stop's deadline, else STOP_WAIT_MS), not FULL_WAIT_MS. */
let exitBy: number | undefined;

/**
 * A graceful stop begins: what the main log keeps may wait for a full pipe's reader until `waitMs`
 * from now (see drainAuditBacklog), and the exit that follows shares that deadline. Each stop sets
 * its own (a second bridge in the same process does not inherit a past one). Answers the deadline.
 */
export function waitForReadersAtStop(waitMs: number): number {
  stopBy = clock() + waitMs;
  return stopBy;
}

/**
 * The process is exiting: from now on a full pipe is waited on until the stop's deadline, else
 * STOP_WAIT_MS from the first call (each exit hook calls it: they share the one deadline).
 */
export function exitingNow(): void {
  exitBy ??= stopBy ?? clock() + STOP_WAIT_MS;
}

/** Once the process exits: until when the notices written then wait for a full pipe (stderr), all of them together. */
let noticesBy: number | undefined;
/** Set by stopWaitingForReaders: the process exits at once, and nothing waits for a full pipe's reader any more. */
let atOnce = false;

/**
 * Until when a notice on stderr waits for a full pipe's reader, asked once it is full: FULL_WAIT_MS
 * from now, but once the process exits, FULL_WAIT_MS from the first notice that waited, shared by
 * those after it (a stderr that just refused one for that long is not waited on again); now (tried
 * once) after stopWaitingForReaders.
 */
export function noticeDeadline(): number {
  if (atOnce) return clock();
  if (exitBy === undefined) return clock() + FULL_WAIT_MS;
  return (noticesBy ??= clock() + FULL_WAIT_MS);
}

/**
 * The process exits at once (a second stop signal): the exit does not wait for a full pipe's reader
 * either, for what is kept nor for the notices naming what is lost (each tried once).
 */
export function stopWaitingForReaders(): void {
  stopBy = clock();
  atOnce = true;
}

/** The backlogged streams whose last write a full pipe refused (EAGAIN): a reader may still make room. */
const fullPipes = new Set<FileDestination>();

/** Whether something is kept for a full pipe (whose reader may come back), not for a destination that refuses writes. */
export function waitingForReader(): boolean {
  return fullPipes.size > 0;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * After a write that threw `err`: while that is EAGAIN (a full pipe: its reader is slow, not gone),
 * sleeps a little (holding the event loop) and calls `attempt` again, until the time `until()`
 * answers (asked at the first EAGAIN); then throws the last error.
 */
export function whileFull(err: unknown, attempt: () => void, until: () => number): void {
  for (let pause = 1; ; pause = Math.min(2 * pause, 50)) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    const left = until() - clock();
    if (left <= 0) throw err;
    Atomics.wait(sleeper, 0, 0, Math.min(pause, left));
    try {
      attempt();
      return;
    } catch (again) {
      err = again;
    }
  }
}

/**
 * A synchronous stream that keeps what its destination refuses (ENOSPC, EIO, EPIPE, or a full
 * non-blocking pipe still full FULL_WAIT_MS after it first was) and writes it once the destination
 * takes writes again: a refused write throws, with what it carried kept, and what is kept is tried
 * again at the next write and every RETRY_MS (an unref'd timer: `written` is called once that goes
 * through). While something is kept, a record that would take it past 4 MiB is not queued: the
 * write throws AUDIT_RECORD_DROPPED, so AuditLog counts it as dropped rather than taking it for
 * written. A healthy destination writes a record of any size.
 *
 * A full pipe (EAGAIN) is back-pressure, not a refusal: writes wait for the reader in short sleeps
 * (sonic-boom would sleep 100 ms and try again, for ever, holding the event loop), FULL_WAIT_MS in
 * all, given back over FULL_WINDOW_MS (not when a write goes through), or until the stop's
 * deadline once the process exits. Nor is a broken pipe ended quietly (pino's own destination
 * would make every later write a no-op): it is refused and counted like the rest.
 */
export function backloggedDestination(dest: string | number, written?: () => void): FileDestination {
  const created = pino.destination({ dest, mkdir: true, sync: true, retryEAGAIN: () => false });
  created.removeAllListeners('error');
  const write = created.write.bind(created);
  /** Waiting still allowed (ms) as of `counted`: FULL_WAIT_MS at most, given back over FULL_WINDOW_MS. */
  let allowance = FULL_WAIT_MS;
  let counted = clock();
  /** Set at the first EAGAIN since a write last went through: until when writes wait for the reader. */
  let fullUntil: number | undefined;
  const until = () => {
    if (exitBy !== undefined) return exitBy;
    if (fullUntil === undefined) {
      const now = clock();
      allowance = Math.min(FULL_WAIT_MS, allowance + ((now - counted) * FULL_WAIT_MS) / FULL_WINDOW_MS);
      counted = now;
      fullUntil = now + allowance;
    }
    return fullUntil;
  };
  let retry: NodeJS.Timeout | undefined;
  const send = (data: string): void => {
    try {
      write(data);
    } catch (err) {
      const waitFrom = clock();
      try {
        whileFull(err, () => void write(''), until);
      } catch (refused) {
        if ((refused as NodeJS.ErrnoException).code === 'EAGAIN') fullPipes.add(created);
        else fullPipes.delete(created);
        retryLater();
        throw refused;
      } finally {
        // What was waited is spent, whether the write then went through or not; only that (a retry
        // while refused waits nothing), and it is not given back meanwhile.
        if (fullUntil !== undefined) {
          const waited = clock() - waitFrom;
          counted += waited;
          allowance = Math.max(0, allowance - waited);
        }
      }
    }
    fullUntil = undefined;
    if (fullPipes.size > 0) fullPipes.delete(created);
    if (retry) {
      clearTimeout(retry);
      retry = undefined;
    }
  };
  const retryLater = () => {
    retry ??= setTimeout(() => {
      retry = undefined;
      try {
        send('');
      } catch {
        return; // Still refused: tried again later.
      }
      written?.();
    }, RETRY_MS).unref();
  };
  created.write = (data: string): boolean => {
    const held = pendingBytes(created);
    if (held > 0 && held + Buffer.byteLength(data) > AUDIT_BACKLOG_BYTES) {
      try {
        send('');
      } catch {
        throw Object.assign(new Error('audit backlog full: record dropped'), { code: AUDIT_RECORD_DROPPED });
      }
    }
    send(data);
    return true;
  };
  return created;
}

/** Bytes held in memory, not yet written (sonic-boom keeps the count in `_len`). */
export function pendingBytes(stream: FileDestination): number {
  return (stream as unknown as { _len: number })._len;
}

/**
 * Tries once more to write what one backlogged stream kept (waiting for a full pipe's reader until
 * the exit's deadline, if the process is exiting); answers how many bytes are still not written.
 */
export function flushAuditStream(stream: FileDestination): number {
  if (pendingBytes(stream) === 0) return 0;
  try {
    stream.write('');
  } catch {
    // Still refused: counted below.
  }
  return pendingBytes(stream);
}
