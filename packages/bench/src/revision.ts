/** Which server code was measured: the lead commits often, so a result is only meaningful with its revision. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const git = (...args: string[]): string | undefined => {
  const res = spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 10_000 });
  return res.status === 0 ? res.stdout.trim() : undefined;
};

export function serverRevision(): string {
  const head = git('rev-parse', '--short', 'HEAD');
  if (!head) return 'unknown (no git commit)';
  const dirty = git('status', '--porcelain', '--', 'packages/server');
  return dirty ? `${head} + uncommitted changes in packages/server` : head;
}
