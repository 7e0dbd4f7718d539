import { spawn } from 'node:child_process';

/**
 * Runs a command and kills its whole process group past a deadline: a build that waits on the network (for
 * example to inline web fonts) must fail the run, not hang it.
 */
export function runWithDeadline(command, args, { seconds, env = process.env, cwd = process.cwd() }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit', detached: true });
    const timer = setTimeout(() => {
      console.error(`\n${command} ${args.join(' ')}: no result after ${seconds} s, stopping it`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, seconds * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}
