import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { CliError } from './errors.js';
import { t } from '../i18n/index.js';

/**
 * Runs a command with a changed environment (an `undefined` value removes the name), stdio passed through, and ends this process the way the
 * child ended: same exit code, or the same signal.
 *
 * Signals: Ctrl+C, Ctrl+\ and a closing terminal reach the child directly (it is in the same
 * process group), so rambridge only ignores them; forwarding them too would deliver them twice,
 * and Terraform, for one, takes a second interrupt as "exit immediately". SIGTERM is usually sent
 * to one process by a supervisor, so that one is forwarded.
 */
/**
 * Signals this process dies of when it sends them to itself, as a shell expects of a command killed
 * by them (a loop stops on Ctrl+C). Others end it with 128 + the number, the shell's own code:
 * Node ignores SIGPIPE and takes SIGUSR1 as "start the inspector", so raising those would leave
 * rambridge running on, then exiting 0.
 */
const RAISED = new Set<NodeJS.Signals>(['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT']);

export function runChild(command: string, args: readonly string[], extraEnv: Record<string, string | undefined>): Promise<never> {
  return new Promise((_resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
    const ignore = () => undefined;
    const forward = () => child.kill('SIGTERM');
    const quiet = ['SIGINT', 'SIGQUIT', 'SIGHUP'] as const;
    for (const signal of quiet) process.on(signal, ignore);
    process.on('SIGTERM', forward);
    const restore = () => {
      for (const signal of quiet) process.off(signal, ignore);
      process.off('SIGTERM', forward);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      restore();
      reject(
        err.code === 'ENOENT' || err.code === 'EACCES'
          ? new CliError(
              'ERR_CLI_COMMAND_NOT_FOUND',
              t('cannotRun', { command, why: t(err.code === 'ENOENT' ? 'cannotRunNotFound' : 'cannotRunDenied') }),
              { hint: t('cannotRunHint') },
            )
          : err,
      );
    });
    child.on('exit', (code, signal) => {
      restore();
      if (signal && RAISED.has(signal)) process.kill(process.pid, signal);
      else process.exit(signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1));
    });
  });
}
