import { readFileSync } from 'node:fs';

/** The CLI's version, sent to the server (`client_version`, User-Agent) so admins see who asked. */
export const CLIENT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

export const USER_AGENT = `rambridge-cli/${CLIENT_VERSION} (node ${process.versions.node}; ${process.platform})`;
