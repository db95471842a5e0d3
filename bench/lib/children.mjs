// Child processes of the benchmark: each prints one JSON line when it is ready.
import { clearTimeout, setTimeout } from 'node:timers';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Starts `node args…` and resolves with the child and the first stdout line that parses as JSON
 * (`{ready: …}`), or with `{url}` taken from a line matching `urlPattern`. Everything else the child
 * prints goes to /dev/null: its log lines are part of the work measured, not of the report.
 */
export function startChild(args, { env = {}, urlPattern, ipc = false } = {}) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit', ...(ipc ? ['ipc'] : [])],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${args.join(' ')}: not ready after 60 s`)), 60_000);
    function finish(err, value) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        child.kill();
        reject(err);
      } else resolve(value);
    }
    child.once('exit', (code) => finish(new Error(`${args.join(' ')} exited with ${code} before it was ready`)));
    child.stdout.on('data', (chunk) => {
      if (done) return; // keep draining so the child never blocks on a full pipe
      buffered += chunk.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        const url = urlPattern?.exec(line)?.[1];
        if (url) return finish(null, { child, info: { url } });
        if (line.startsWith('{')) {
          try {
            const info = JSON.parse(line);
            if (info.ready) return finish(null, { child, info });
          } catch {
            /* a log line */
          }
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
  });
}

/** Stops a child we started and waits for it to exit. */
export function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** Resident set size of a process, in MB (Linux /proc). */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** Sends `message` to an IPC child and resolves with its answer of the same type. */
export function ask(child, message) {
  return new Promise((resolve, reject) => {
    const onMessage = (answer) => {
      if (answer?.type !== message.type) return;
      child.off('message', onMessage);
      if (answer.error) reject(new Error(answer.error));
      else resolve(answer);
    };
    child.on('message', onMessage);
    child.send(message);
  });
}
