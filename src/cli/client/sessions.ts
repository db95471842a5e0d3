import type { ClientPaths } from './paths.cjs';
import { PrivateJsonFile } from './secure-file.js';

/** Who the tokens belong to, from `/api/whoami` at login. */
export interface SessionUser {
  idp: string;
  subject: string;
  email?: string;
  name?: string;
}

/** One logged-in server: its tokens and what the client needs to refresh them without discovery. */
export interface StoredSession {
  tokenEndpoint: string;
  revocationEndpoint?: string;
  accessToken: string;
  /** Milliseconds since the epoch. */
  accessTokenExpiresAt: number;
  refreshToken: string;
  user: SessionUser;
  /** When the server ends the session whatever the refreshes (ISO date), if it said. */
  sessionExpiresAt?: string;
}

interface SessionsDocument {
  version: 1;
  sessions: Record<string, StoredSession>;
}

/** Tokens per server, in `sessions.json` (0600). Several servers can be logged in at once. */
export class SessionStore {
  private readonly file: PrivateJsonFile<SessionsDocument>;

  constructor(paths: ClientPaths) {
    this.file = new PrivateJsonFile<SessionsDocument>(paths.sessions, paths.dir);
  }

  async get(server: string): Promise<StoredSession | undefined> {
    return (await this.file.read())?.sessions[server];
  }

  async put(server: string, session: StoredSession): Promise<void> {
    await this.file.update((doc) => ({ version: 1, sessions: { ...doc?.sessions, [server]: session } }));
  }

  async remove(server: string): Promise<void> {
    const doc = await this.file.read();
    if (!doc?.sessions[server]) return;
    await this.file.write({ version: 1, sessions: Object.fromEntries(Object.entries(doc.sessions).filter(([s]) => s !== server)) });
  }
}

/** The identity the credential cache is keyed by: the same subject at two IdPs is two people. */
export function userKey(user: SessionUser): string {
  return `${user.idp}/${user.subject}`;
}
