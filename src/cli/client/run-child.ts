import { spawn } from 'node:child_process';
import { CliError } from './errors.js';
import { t } from '../i18n/index.js';

/**
 * Runs a command with extra environment, stdio passed through, and ends this process the way the
 * child ended: same exit code, or the same signal.
 *
 * Signals: Ctrl+C, Ctrl+\ and a closing terminal reach the child directly (it is in the same
 * process group), so rambridge only ignores them; forwarding them too would deliver them twice,
 * and Terraform, for one, takes a second interrupt as "exit immediately". SIGTERM is usually sent
 * to one process by a supervisor, so that one is forwarded.
 */
export function runChild(command: string, args: readonly string[], extraEnv: Record<string, string>): Promise<never> {
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
      if (signal) process.kill(process.pid, signal);
      else process.exit(code ?? 1);
    });
  });
}
