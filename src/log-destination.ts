import { pino, type DestinationStream } from 'pino';

type SonicBoom = ReturnType<typeof pino.destination>;

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
 * The lines are held here and handed to a plain synchronous sonic-boom, which does the writing
 * (partial writes, EAGAIN, pino's end of logging on EPIPE). Not its own `minLength` buffering: its
 * `flushSync()` ends with an fsync, a disk flush every turn when stdout is a file.
 */
export class TurnBatchedDestination implements DestinationStream {
  private readonly stream: SonicBoom;
  private held = '';
  private flushQueued = false;

  constructor(dest: number | string) {
    this.stream = pino.destination({ dest, sync: true });
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
    this.stream.write(lines);
  };

  private readonly endOfTurn = (): void => {
    this.flushQueued = false;
    this.flush();
  };
}

let stdout: TurnBatchedDestination | undefined;

/** The process's stdout as the main log writes it: one destination, so lines of several loggers never interleave. */
export function stdoutDestination(): TurnBatchedDestination {
  if (!stdout) {
    stdout = new TurnBatchedDestination(1);
    process.once('exit', stdout.flush);
  }
  return stdout;
}
