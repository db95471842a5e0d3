import type { z } from 'zod';

/** One thing wrong with a configuration file, at a path like `roles[2].account`. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Thrown when a configuration has problems; carries all of them, not just the first. */
export class ConfigInvalid extends Error {
  readonly code = 'ERR_CONFIG_INVALID' as const;
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${source}: ${problems.length} problem(s)\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigInvalid';
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

export function formatProblem(p: ConfigProblem): string {
  return `  ${p.path}: ${p.message}`;
}

/** Turns zod issues into problems, one per unknown key so each typo is named on its own. */
export function problemsFromZod(issues: readonly z.core.$ZodIssue[]): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown key' }));
    }
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) {
      return [{ path: formatPath(issue.path), message: `required (${issue.expected})` }];
    }
    return [{ path: formatPath(issue.path), message: issue.message.replace(/^Invalid input: /, '') }];
  });
}
