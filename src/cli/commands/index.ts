import type { Command } from 'commander';
import { registerCheckConfig } from './check-config.js';
import { registerDemo } from './demo.js';
import { registerEmulator } from './emulator.js';
import { registerExplain } from './explain.js';
import { registerKeys } from './keys.js';
import { registerServe } from './serve.js';
import { registerLogin } from './login.js';
import { registerLogout } from './logout.js';
import { registerWhoami } from './whoami.js';
import { registerRoles } from './roles.js';
import { registerFavourite } from './favourite.js';
import { registerCreds } from './creds.js';
import { registerExec } from './exec.js';
import { registerConfigureAliyun } from './configure-aliyun.js';
import { registerCredentialServer } from './credential-server.js';
import { registerConsole } from './console.js';
import { registerSessions } from './sessions.js';
import { registerCompletion } from './completion.js';

/** Each sub-command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerDemo(program);
  registerEmulator(program);
  registerCheckConfig(program);
  registerExplain(program);
  registerKeys(program);
  registerLogin(program);
  registerLogout(program);
  registerWhoami(program);
  registerRoles(program);
  registerFavourite(program);
  registerCreds(program);
  registerExec(program);
  registerConfigureAliyun(program);
  registerCredentialServer(program);
  registerConsole(program);
  registerSessions(program);
  registerCompletion(program);
}
