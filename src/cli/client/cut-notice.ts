import { t } from '../i18n/index.js';
import { wasCut } from './credential-cache.js';
import type { CredentialsResponse } from './api.js';
import { formatDurationFlag, formatRemaining, formatSessionLength } from './duration.js';

/** What is said of credentials obtained (credential-source.ts `ObtainedCredentials`). */
interface Obtained {
  credentials: CredentialsResponse;
  /** The length asked for; `credentials.durationSeconds` is what the server granted. */
  durationSeconds: number;
  fromCache: boolean;
}

/**
 * The line for stderr (never stdout: tools parse it) when new credentials were cut to the end of the
 * CLI session; none for credentials served again (from the cache, or held by credential-server).
 */
export function cutNotice(obtained: Obtained, server: string): string | undefined {
  const { credentials, durationSeconds: asked } = obtained;
  if (obtained.fromCache || !wasCut(credentials, asked)) return undefined;
  const granted = credentials.durationSeconds!;
  // Said as people read them, floored to the minute; a cut within the minute (-d 930 cut to 910)
  // would read "15 min, not 15 min", so those are written to the second, as -d takes them (15m10s).
  const length = formatSessionLength(granted) === formatSessionLength(asked) ? formatDurationFlag : formatSessionLength;
  return t('durationCut', {
    duration: length(granted),
    requested: length(asked),
    // The server cuts to exactly what is left of the session: it ends when they do.
    ends: formatRemaining(granted * 1000),
    server,
  });
}

/** Writes `cutNotice`'s line to stderr, if there is one. */
export function sayIfCut(obtained: Obtained, server: string): void {
  const notice = cutNotice(obtained, server);
  if (notice !== undefined) process.stderr.write(`${notice}\n`);
}
