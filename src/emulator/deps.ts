import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import type { Directory } from './directory.js';
import type { Random } from './random.js';
import type { RemoteDocuments } from './remote-documents.js';
import type { EmulatorState } from './state.js';

/** What the emulator's routes share. Built once by createEmulatorApp. */
export interface EmulatorDeps {
  directory: Directory;
  state: EmulatorState;
  documents: RemoteDocuments;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** The emulator's own origin (`http://127.0.0.1:9090`): sign-in destinations must be on it. */
  origin: string;
  /** Serve GET /debug/session (only when listening on loopback). */
  debugEndpoints: boolean;
}
