import { fstatSync, writeSync } from 'node:fs';
import { pino, type DestinationStream } from 'pino';

export type FileDestination = ReturnType<typeof pino.destination>;

/** Written at once, without waiting for the end of the turn, once this much is waiting (UTF-16 units). */
const HELD_CHARS = 8 * 1024;
/** Records kept in memory while the audit destination refuses writes (a full disk), at most. */
const AUDIT_BACKLOG_BYTES = 4 * 1024 * 1024;
/**
 * How long writes may wait for a slow reader to make room in a full non-blocking pipe or socket
 * (EAGAIN), in all: once they have waited that long the destination counts as refusing writes.
 * What they wait is not given back when a write goes through, only over time (FULL_WAIT_MS per
 * FULL_WINDOW_MS), so a reader that keeps up only a little ends in a refusal too, and writes wait at
 * most FULL_WAIT_MS at a time and a fifth of the time over longer. A notice on stderr gets as long.
 */
const FULL_WAIT_MS = 2000;
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
const clock = (): number => performance.now();

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

/** The process exits at once (a second stop signal): the exit does not wait for a full pipe's reader either. */
export function stopWaitingForReaders(): void {
  stopBy = clock();
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
function whileFull(err: unknown, attempt: () => void, until: () => number): void {
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

/**
 * A log destination that writes synchronously, once per turn of the event loop: the lines of one
 * turn (the access lines of the ~10 requests a busy bridge answers in it) go out in one system
 * call after it, or at once when 8 KiB are waiting, and whatever is left when the process exits.
 *
 * Why not pino's default (asynchronous writes on the thread pool): each batch of lines crosses to
 * a worker thread and back, which costs as much as a write of its own, and while the reader is
 * slow the lines pile up in memory without bound. Here they are bounded, and a stuck reader holds
 * the bridge up as it would any synchronous writer. Why not a write per line: each is a system
 * call, and into a pipe it wakes the log reader, as an answer wakes its client (batched-response.ts).
 * What a crash can lose is the current turn's lines: `process.exit` and an uncaught exception
 * still write them ('exit'), only a SIGKILL does not.
 *
 * The lines are held here and handed to a synchronous sonic-boom with the audit stream's backlog
 * (backloggedDestination), which does the writing (partial writes). Not its own `minLength`
 * buffering: its `flushSync()` ends with an fsync, a disk flush every turn when stdout is a file.
 *
 * A full pipe (a slow reader) is waited on, FULL_WAIT_MS in all, as backloggedDestination says. A
 * destination that refuses writes (a full disk behind a redirect, a closed pipe, a full one whose
 * reader kept it waiting too long) never throws into the caller or the event loop: the turn that
 * failed stays in the backlog,
 * stderr is told once (`log-write-failed`), and until a write goes through again the ordinary
 * lines are dropped and counted, while audit records (`audit`, the stream of createAuditLogger's
 * `log` destination) go to the backlog, kept or refused as with an audit file of their own: AuditLog
 * sees the refusal and counts it. Each later turn that logs tries the backlog again, and so does a
 * timer every RETRY_MS; once it is written, `log-write-recovered` (with `droppedLines`) goes to
 * stderr and to this log.
 */
export class TurnBatchedDestination implements DestinationStream {
  private readonly stream: FileDestination;
  private held = '';
  private flushQueued = false;
  /** The error of the write that failed, while the destination refuses writes. */
  private refused: NodeJS.ErrnoException | undefined;
  private droppedLines = 0;

  /** The audit records' way in: held with the turn's lines while writes go through, else kept or refused at once. */
  readonly audit: DestinationStream = {
    write: (line: string) => {
      if (this.refused !== undefined) this.flush();
      if (this.refused === undefined) return this.write(line);
      this.stream.write(line);
      this.recovered();
    },
  };

  constructor(private readonly dest: number | string) {
    this.stream = backloggedDestination(dest, () => this.recovered());
  }

  write(line: string): void {
    this.held += line;
    if (this.held.length >= HELD_CHARS) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(this.endOfTurn);
    }
  }

  /** Writes what is held now (the end of the turn, 8 KiB, the process's exit). */
  readonly flush = (): void => {
    if (this.held === '') return;
    const lines = this.held;
    this.held = '';
    if (this.refused !== undefined && flushAuditStream(this.stream) > 0) {
      this.droppedLines += countLines(lines);
      return;
    }
    this.recovered();
    try {
      this.stream.write(lines);
    } catch (err) {
      this.refuse(err as NodeJS.ErrnoException);
    }
  };

  /**
   * At a stop or the exit: writes the backlog, then what is held (waiting for a full pipe's reader
   * until the exit's deadline, if the process is exiting); answers the bytes still not written.
   */
  flushBacklog(): number {
    if (flushAuditStream(this.stream) === 0) this.recovered();
    this.flush();
    return pendingBytes(this.stream);
  }

  private readonly endOfTurn = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  private refuse(err: NodeJS.ErrnoException): void {
    if (this.refused !== undefined) return;
    this.refused = err;
    this.tell(
      noticeLine(
        50,
        { event: 'log-write-failed', errorCode: err.code },
        'stdout refuses writes: log lines are dropped and counted, audit records kept',
      ),
    );
  }

  /**
   * A notice for stderr while stdout keeps something, maybe the rest of a line a partial write cut:
   * when stderr is the same open file (`2>&1`, journald), written there it would land inside that
   * line, so it is kept after it instead, written when the rest is; else stderr is tried once
   * (waiting there would hold up the bridge again).
   */
  private tell(line: string): void {
    if (!this.sharesStderr()) return void tellStderr(line, false);
    try {
      this.stream.write(line);
    } catch {
      // Kept after the rest (or lost with the backlog full).
    }
  }

  /** Whether stdout refuses writes now (its ordinary lines are dropped). */
  get refusing(): boolean {
    return this.refused !== undefined;
  }

  /**
   * At a stop or the exit, what could not be written is named on stderr, waiting for a full pipe
   * (FULL_WAIT_MS at most); on a shared file after a line break, as the last line may be cut.
   */
  lost(pendingBytes: number, event = 'log-write-failed', msg = 'log lines and audit records not written at exit'): void {
    const line = noticeLine(50, { event, pendingBytes }, msg);
    tellStderr(this.sharesStderr() ? `\n${line}` : line, true);
  }

  private sharesStderr(): boolean {
    if (this.dest !== 1) return false;
    try {
      const [out, err] = [fstatSync(1), fstatSync(2)];
      return out.dev === err.dev && out.ino === err.ino;
    } catch {
      return false;
    }
  }

  /** After a write that went through with nothing left behind: says so once, with what was lost meanwhile. */
  private recovered(): void {
    if (this.refused === undefined || pendingBytes(this.stream) > 0) return;
    const fields = { event: 'log-write-recovered', errorCode: this.refused.code, droppedLines: this.droppedLines };
    this.refused = undefined;
    this.droppedLines = 0;
    const line = noticeLine(40, fields, 'stdout written again');
    tellStderr(line, true);
    this.write(line);
  }
}

function countLines(lines: string): number {
  let n = 0;
  for (let i = lines.indexOf('\n'); i !== -1; i = lines.indexOf('\n', i + 1)) n++;
  return n;
}

/** A line shaped like the main log's. */
function noticeLine(level: number, fields: Record<string, unknown>, msg: string): string {
  return `${JSON.stringify({ level, time: new Date().toISOString(), service: 'rambridge', ...fields, msg })}\n`;
}

/**
 * A line on stderr. A full pipe (stdout's too under `2>&1` or journald, with nothing of stdout's
 * kept) is waited on if `wait`, FULL_WAIT_MS at most; nowhere left to tell if that fails too.
 */
function tellStderr(text: string, wait: boolean): void {
  let line = Buffer.from(text);
  const until = wait ? clock() + FULL_WAIT_MS : 0;
  const attempt = () => {
    while (line.length > 0) line = line.subarray(writeSync(2, line));
  };
  try {
    attempt();
  } catch (err) {
    try {
      whileFull(err, attempt, () => until);
    } catch {
      // Nothing to do.
    }
  }
}

let stdout: TurnBatchedDestination | undefined;

/** The process's stdout as the main log writes it: one destination, so lines of several loggers never interleave. */
export function stdoutDestination(): TurnBatchedDestination {
  if (!stdout) {
    const created = new TurnBatchedDestination(1);
    stdout = created;
    process.once('exit', () => {
      exitBy = stopBy ?? clock() + STOP_WAIT_MS;
      const pending = created.flushBacklog();
      if (pending > 0) created.lost(pending);
    });
  }
  return stdout;
}

/** The main log's stdout destination if one was made (its backlog is flushed at a graceful stop). */
export function openStdoutDestination(): TurnBatchedDestination | undefined {
  return stdout;
}
