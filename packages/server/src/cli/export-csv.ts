/**
 * `crm export-csv Contact|Company|Deal FILE`: the class as CSV with pointers written as names, ready for
 * `crm import-csv` (see src/importing/csv-export.ts). As the master, or `--as` a user to export what they see.
 */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { CliContext, GlobalOptions } from './context.js';
import { withServices } from './context.js';
import { MASTER } from '../security/auth.js';
import { authAs } from './accounts.js';
import { CliError } from './errors.js';
import { exportCsv } from '../importing/csv-export.js';
import { CSV_CLASSES, isCsvClass } from '../importing/import-fields.js';

export function registerExportCsvCommand(program: Command, ctx: CliContext): void {
  program
    .command('export-csv')
    .description('export Contacts, Companies or Deals to a CSV file that import-csv reads back')
    .argument('<class>', CSV_CLASSES.join(', '))
    .argument('<file>', 'CSV file to write ("-" for standard output)')
    .option('--as <user>', 'export only what this user can read; default: master (everything)')
    .action(async (className: string, file: string, options: { as?: string }, command: Command) => {
      if (!isCsvClass(className)) throw new CliError(`export-csv takes ${CSV_CLASSES.join(', ')}, not "${className}"`);
      const { csv, rows } = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, async (services) =>
        exportCsv(services, options.as ? await authAs(services, options.as) : MASTER, className),
      );
      if (file === '-') ctx.io.stdout.write(csv);
      else {
        writeFileSync(file, csv);
        ctx.term.ok(`exported ${rows} ${className} rows to ${file}`);
      }
    });
}
