/**
 * The `crm` executable itself (src/cli.ts as the bin runs it, in a child process), then the same error
 * policy in-process: help everywhere, exit codes, one plain line and no stack trace for user errors.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crm, onDataDir, removeTempDirs, tempDir } from './harness.js';
import { MASTER } from '../../src/security/auth.js';

const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const entry = path.join(import.meta.dirname, '../../src/cli.ts');

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawnSync(process.execPath, [tsx, entry, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, NO_COLOR: '1', ...env },
    timeout: 30_000,
  });
  return { code: child.status, stdout: child.stdout, stderr: child.stderr };
}

afterAll(removeTempDirs);

describe('the crm binary', () => {
  it('--help lists every command and the storage flags', () => {
    const help = run(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['start', 'user', 'role', 'schema', 'export', 'import', 'import-csv', 'seed', 'backup', 'types']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    expect(help.stdout).toMatch(/--data-dir <dir>/);
    expect(help.stdout).toMatch(/--database-url <url>/);
  });

  it('acts on DATA_DIR from the environment and exits 0', async () => {
    const dir = tempDir();
    const added = run(['user', 'add', 'eve', '--email', 'eve@example.com', '--password', 'eve-pass-1'], { DATA_DIR: dir });
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(/created user eve/);
    const users = await onDataDir(dir, async (s) => (await s.objects.find(MASTER, '_User', {})).results);
    expect(users.map((u) => u.username)).toEqual(['eve']);
  });

  it('a user error exits 1 with one line on stderr', () => {
    const missing = run(['import', path.join(tempDir(), 'no-such-dir')], { DATA_DIR: tempDir() });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: .*no-such-dir is not a directory$/)]);
  });
});

describe('help and errors (in-process)', () => {
  it('every command group has --help', async () => {
    for (const args of [
      ['user', '--help'],
      ['role', 'add', '--help'],
      ['schema', '--help'],
      ['import', '--help'],
      ['import-csv', '--help'],
      ['seed', '--help'],
      ['backup', '--help'],
      ['types', '--help'],
    ]) {
      const help = await crm(args);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(/^Usage: crm /);
    }
    expect((await crm(['import', '--help'])).stdout).toMatch(/DATABASE_URL=postgres:\/\/… crm import dump\//);
  });

  it('unknown commands, bad configuration and bad flags: exit 1, no stack trace', async () => {
    const unknown = await crm(['frobnicate']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown command 'frobnicate'/);
    const badConfig = await crm(['user', 'list'], { DATABASE_URL: 'mysql://nope' });
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr.trim()).toBe('error: DATABASE_URL must be a postgres:// URL');
    const badSeed = await crm(['seed', '--demo', '--seed', 'abc'], { DATA_DIR: tempDir() });
    expect(badSeed.code).toBe(1);
    expect(badSeed.stderr.trim()).toBe('error: --seed must be a whole number, got "abc"');
    for (const run of [unknown, badConfig, badSeed]) expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
