import type { ClientPaths } from './paths.cjs';
import { PrivateJsonFile } from './secure-file.js';

/** Non-secret client settings, in `config.json`. */
export interface Settings {
  /** The server of the last successful login: the default for every other command. */
  server?: string;
}

export function settingsFile(paths: ClientPaths): PrivateJsonFile<Settings> {
  return new PrivateJsonFile<Settings>(paths.settings, paths.dir);
}
