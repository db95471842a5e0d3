import type { Command } from 'commander';
import { registerCheckConfig } from './check-config.js';
import { registerDemo } from './demo.js';
import { registerExplain } from './explain.js';
import { registerKeys } from './keys.js';
import { registerServe } from './serve.js';

/** Each sub-command lives in its own file and registers itself here. */
export function registerCommands(program: Command): void {
  registerServe(program);
  registerDemo(program);
  registerCheckConfig(program);
  registerExplain(program);
  registerKeys(program);
}
