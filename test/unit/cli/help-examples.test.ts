import type { Command } from 'commander';
import { commandPath } from '../../../src/cli/help-examples.js';
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
