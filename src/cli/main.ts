import { Command } from 'commander';
import { CLIENT_VERSION } from './client/version.js';
import { registerCommands } from './commands/index.js';

/** Entry point of the `rambridge` command (bin/rambridge.js). */
export async function main(argv: string[]): Promise<void> {
  const program = new Command('rambridge')
    .description('Corporate sign-in to Alibaba Cloud RAM roles: console and CLI credentials')
    .version(CLIENT_VERSION, '-V, --version', 'print the version of rambridge')
    .showHelpAfterError();
  registerCommands(program);
  await program.parseAsync(argv);
}
