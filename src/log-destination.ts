import { fstatSync, writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';
import {
  backloggedDestination,
  exitingNow,
  flushAuditStream,
  noticeDeadline,
  pendingBytes,
  whileFull,
  type FileDestination,
} from './log-backlog.js';

/** Written at once, without waiting for the end of the turn, once this much is waiting (UTF-16 units). */
const HELD_CHARS = 8 * 1024;

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
 * `log` destination, and `auditAtOnce`, its `stdout`) go to the backlog, kept or refused as with an
 * audit file of their own: AuditLog sees the refusal and counts it. Each later turn that logs tries the backlog again, and so does a
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

  /**
   * The audit stream's own way in (`audit.destination: stdout`, see createAuditLogger): each record
   * written at once, after the lines held before it, so a record stdout refuses throws to AuditLog,
   * counted as with a destination of its own; while stdout refuses writes, kept as `audit` keeps them.
   */
  readonly auditAtOnce: DestinationStream = {
    write: (line: string) => {
      this.flush();
      if (this.refused !== undefined) return this.audit.write(line);
      try {
        this.stream.write(line);
      } catch (err) {
        this.refuse(err as NodeJS.ErrnoException);
        throw err;
      }
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
   * (FULL_WAIT_MS at most); after a line break on a shared file, or once the `stderr` audit
   * destination was given up at the exit (stderrCut), as the last line or record may be cut.
   */
  lost(pendingBytes: number, event = 'log-write-failed', msg = 'log lines and audit records not written at exit'): void {
    const line = noticeLine(50, { event, pendingBytes }, msg);
    tellStderr(this.sharesStderr() || stderrCut ? `\n${line}` : line, true);
  }

  /** Whether this is stdout and stderr is the same open file (`2>&1`, journald): lines written to either land in one stream. */
  sharesStderr(): boolean {
    return this.dest === 1 && stderrIsStdout();
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

/** Whether the process's stderr is the same open file as its stdout (`2>&1`, journald). */
export function stderrIsStdout(): boolean {
  try {
    const [out, err] = [fstatSync(1), fstatSync(2)];
    return out.dev === err.dev && out.ino === err.ino;
  } catch {
    return false;
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
 * kept) is waited on if `wait`, FULL_WAIT_MS at most (at the exit, FULL_WAIT_MS for all the
 * notices: noticeDeadline); nowhere left to tell if that fails too.
 */
function tellStderr(text: string, wait: boolean): void {
  let line = Buffer.from(text);
  let until: number | undefined;
  const attempt = () => {
    while (line.length > 0) line = line.subarray(writeSync(2, line));
  };
  try {
    attempt();
  } catch (err) {
    try {
      whileFull(err, attempt, () => (until ??= wait ? noticeDeadline() : 0));
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
      exitingNow();
      const pending = created.flushBacklog();
      if (pending > 0) created.lost(pending);
    });
  }
  return stdout;
}

/**
 * At the exit, what an audit destination of its own (`audit.destination`: `stdout`, `stderr` or a
 * file) could not write is named: in the main log while that is a stdout taking writes (and not
 * where the records were lost), else on stderr, after a line break there (the last record may be cut).
 */
export function auditLostAtExit(destination: string, pendingBytes: number): void {
  if (destination === 'stderr') stderrCut = true;
  const line = noticeLine(50, { event: 'audit-write-failed', destination, pendingBytes }, 'audit records not written at exit');
  if (stdout && !stdout.refusing && destination !== 'stdout') {
    stdout.write(line);
    stdout.flushBacklog();
  } else tellStderr(stderrCut ? `\n${line}` : line, true);
}

/**
 * Set once the exit gave up on what the `stderr` audit destination kept: stderr may end inside a
 * record, so every notice written there after it starts on a new line. Before that, a notice on
 * stderr needs no line break: the audit exit hook runs before stdout's (auditAtExit), so a record
 * a partial write cut has had its rest written by then, or been given up; nothing writes it later.
 */
let stderrCut = false;

/** The main log's stdout destination if one was made (its backlog is flushed at a graceful stop). */
export function openStdoutDestination(): TurnBatchedDestination | undefined {
  return stdout;
}
