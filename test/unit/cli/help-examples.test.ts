import type { Command } from 'commander';
import type { RoleInfo } from '../../../src/cli/client/api.js';
import { resolveRole } from '../../../src/cli/client/resolve-role.js';
import { commandPath, HELP_EXAMPLES } from '../../../src/cli/help-examples.js';
import { demoConfig } from '../../helpers/config.js';
import { createProgram } from '../../../src/cli/main.js';

/** Every command of the tree, the program included. */
function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

/** What `rambridge <path> --help` prints, without exiting. */
function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (t) => (text += t) });
  command.outputHelp();
  return text;
}

const commands = allCommands(createProgram()).map((c) => [commandPath(c) || '(rambridge)', c] as const);

test.each(commands)('rambridge %s --help ends with examples of that very command', (path, command) => {
  const help = helpOf(command);
  const examples = help.slice(help.indexOf('\nExamples:\n'));
  expect(help).toContain('\nExamples:\n');
  const lines = examples.split('\n').filter((l) => l.startsWith('  ') && !l.startsWith('  #'));
  expect(lines.length).toBeGreaterThan(0);
  const invocation = path === '(rambridge)' ? 'rambridge ' : `rambridge ${path}`;
  for (const line of lines) expect(line).toContain(invocation);
  // Each example has its comment, and fits an 80-column terminal.
  expect(examples.split('\n').filter((l) => l.startsWith('  # ')).length).toBe(lines.length);
  for (const line of examples.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
});

test('the examples that name a role work on the demo: it resolves to one role, elevated ones with a justification long enough', async () => {
  const config = await demoConfig();
  const roles: RoleInfo[] = config.roles.map((r) => ({
    id: r.id,
    arn: r.arn,
    accountId: r.accountId,
    accountName: r.accountName,
    via: r.via,
    maxSessionDuration: 3600,
    elevated: r.elevated,
  }));
  const issuing = new Set(['creds', 'exec', 'console']);
  const checked: string[] = [];
  for (const [line] of Object.values(HELP_EXAMPLES).flat()) {
    const [program, command = '', role] = line.replace(/^eval "\$\(/, '').split(' ');
    if (program !== 'rambridge' || !role || role.startsWith('-')) continue;
    if (!issuing.has(command) && !['fav', 'unfav', 'configure-aliyun'].includes(command)) continue;
    const resolved = resolveRole(roles, role);
    const justification = /--justification "([^"]*)"/.exec(line)?.[1];
    if (issuing.has(command) && resolved.elevated) {
      expect(justification?.length ?? 0).toBeGreaterThanOrEqual(config.elevation.minJustificationLength);
    }
    if (justification !== undefined) expect(resolved.elevated).toBe(true);
    if (command === 'configure-aliyun') expect(resolved.elevated).toBe(false); // it writes no profile for one
    checked.push(line);
  }
  expect(checked.length).toBeGreaterThan(8);
});
