import type { Clock } from '../../clock.js';
import { formatRemaining } from './duration.js';
import { t } from '../i18n/index.js';

export interface Waiting {
  /** Ends the animation (if any) and leaves the cursor at the start of a clean line. */
  stop(): void;
}

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const FRAMES = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/**
 * "Waiting for approval": a spinner with a countdown to the code's expiry on a terminal; one plain
 * line otherwise (CI logs and pipes must not fill up with carriage returns).
 */
export function showWaiting(stream: OutputStream, deadline: number, clock: Clock): Waiting {
  if (!stream.isTTY) {
    stream.write(`${t('waitingForApproval', { remaining: formatRemaining(deadline - clock.now()) })}\n`);
    return { stop: () => undefined };
  }
  let frame = 0;
  const draw = () => {
    frame = (frame + 1) % FRAMES.length;
    stream.write(`\r\x1b[2K${FRAMES[frame]} ${t('waitingSpinner', { left: countdown(deadline - clock.now()) })}`);
  };
  draw();
  const timer = setInterval(draw, 100);
  return {
    stop: () => {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}

/** `m:ss`, never negative. */
export function countdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
