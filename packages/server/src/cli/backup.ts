/**
 * `crm backup FILE`: SQLite's online backup of the live database (the server may keep running). PostgreSQL
 * has its own, better tool; the command says which pg_dump line to run instead.
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CliContext, GlobalOptions } from './context.js';
import { cliConfig } from './context.js';
import { SqliteAdapter } from '../storage/sqlite/sqlite-adapter.js';
import type { ServerConfig } from '../config/config.js';
import { CliError } from './errors.js';

const SQLITE_FILE = 'crm.sqlite';

/** A directory (existing, or written with a trailing slash) gets crm.sqlite inside: usable as DATA_DIR as is. */
export function backupTarget(file: string): string {
  const isDir = file.endsWith('/') || file.endsWith(path.sep) || (existsSync(file) && statSync(file).isDirectory());
  return isDir ? path.join(file, SQLITE_FILE) : file;
}

/** The pg_dump line for this configuration. The password stays out of it (and so out of shell history). */
export function pgDumpCommand(config: ServerConfig, file: string): string {
  const url = new URL(config.databaseUrl!);
  url.password = '';
  return `pg_dump --dbname='${url.toString()}' --schema='${config.databaseSchema ?? 'public'}' --format=custom --file='${file}'`;
}

export function registerBackupCommand(program: Command, ctx: CliContext): void {
  program
    .command('backup')
    .description('online copy of the SQLite database (PostgreSQL: shows the pg_dump line)')
    .argument('<file>', 'backup file, or a directory to hold crm.sqlite')
    .option('--force', 'overwrite an existing backup file')
    .addHelpText(
      'after',
      '\nRestore: stop the server and put the copy in place as DATA_DIR/crm.sqlite (or point DATA_DIR at the backup directory).',
    )
    .action(async (file: string, options: { force?: boolean }, command: Command) => {
      const config = cliConfig(command.optsWithGlobals<GlobalOptions>(), ctx.io);
      if (config.databaseUrl) {
        ctx.term.print(pgDumpCommand(config, file));
        if (new URL(config.databaseUrl).password) ctx.term.note('(pg_dump asks for the password, or reads PGPASSWORD)');
        throw new CliError('crm backup copies SQLite databases only; for PostgreSQL run the pg_dump command above');
      }
      const source = path.join(config.dataDir, SQLITE_FILE);
      if (!existsSync(source)) throw new CliError(`no database at ${source}`);
      const target = backupTarget(file);
      if (existsSync(target) && !options.force) throw new CliError(`${target} exists (use --force to overwrite it)`);
      if (path.resolve(target) === path.resolve(source)) throw new CliError('the backup cannot replace the database it copies');
      mkdirSync(path.dirname(target), { recursive: true });
      const started = performance.now();
      const storage = new SqliteAdapter({ dataDir: config.dataDir });
      try {
        await storage.backup(target);
      } finally {
        await storage.close();
      }
      const size = (statSync(target).size / 1024 / 1024).toFixed(1);
      ctx.term.ok(`backed up ${source} to ${target} (${size} MiB in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    });
}
