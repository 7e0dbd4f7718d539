/**
 * The `crm` command tree and its one error policy: a user's mistake ends with one red line and exit code 1,
 * never a stack trace. `runCli` takes its streams and environment as arguments, so tests run every command
 * in-process exactly as the binary would.
 */
import { Command, CommanderError } from 'commander';
import { processIO, Terminal, type CliIO } from './io.js';
import type { CliContext } from './context.js';
import { describeFailure } from './errors.js';
import { registerStartCommand } from './start.js';
import { registerUserCommands } from './users.js';
import { registerRoleCommands } from './roles.js';
import { registerSchemaCommands } from './schema.js';
import { registerExportCommand } from './export.js';
import { registerImportCommand } from './import.js';
import { registerImportCsvCommand } from './import-csv.js';
import { registerExportCsvCommand } from './export-csv.js';
import { registerSeedCommand } from './seed.js';
import { registerBackupCommand } from './backup.js';
import { registerTypesCommand } from './types.js';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('crm')
    .description('manage a CRM server: users, roles, schema, import/export, demo data, backups')
    .option('--data-dir <dir>', 'SQLite data directory (default: DATA_DIR or ./data)')
    .option('--database-url <url>', 'use PostgreSQL at this postgres:// URL (default: DATABASE_URL)')
    .option('--database-schema <name>', 'PostgreSQL schema holding the tables (default: DATABASE_SCHEMA or public)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.io.stdout.write(text),
      writeErr: (text) => ctx.io.stderr.write(text),
      outputError: (text, write) => write(ctx.term.c.red(text)),
    });
  registerStartCommand(program, ctx);
  registerUserCommands(program, ctx);
  registerRoleCommands(program, ctx);
  registerSchemaCommands(program, ctx);
  registerExportCommand(program, ctx);
  registerImportCommand(program, ctx);
  registerImportCsvCommand(program, ctx);
  registerExportCsvCommand(program, ctx);
  registerSeedCommand(program, ctx);
  registerBackupCommand(program, ctx);
  registerTypesCommand(program, ctx);
  return program;
}

/** Runs one command line (without the node and script arguments); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const term = new Terminal(io);
  const program = buildProgram({ io, term });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    // Commander has already printed its own message (or the help it was asked for).
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    const { message, unexpected } = describeFailure(error);
    term.error(message);
    if (unexpected) {
      if (io.env.CRM_DEBUG) io.stderr.write(`${(error as Error).stack ?? ''}\n`);
      else term.note('(unexpected: run with CRM_DEBUG=1 for the stack trace)');
    }
    return 1;
  }
}
