/**
 * `crm import-csv Contact|Company|Deal FILE --map col=field,…`: the command-line face of src/importing/ —
 * rows become objects through the object service as the master or `--as` a user, pointers are given by name,
 * a dry run reports bad rows and writes nothing, and big files show progress.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { CliContext, GlobalOptions } from './context.js';
import { withServices } from './context.js';
import { MASTER } from '../security/auth.js';
import { authAs } from './accounts.js';
import { CliError } from './errors.js';
import type { Terminal } from './io.js';
import { importCsv, type ImportReport } from '../importing/csv-import.js';
import { COMPANY_NAME, CSV_CLASSES, isCsvClass } from '../importing/import-fields.js';
import type { CsvProblem } from '../importing/csv-rows.js';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const classPlural = (className: string) => (className === 'Company' ? 'Companies' : `${className}s`);

/** Files this long report progress as lines when no terminal shows a bar. */
const PROGRESS_LINES_FROM = 2000;

export interface CsvImportOptions {
  map?: string;
  dryRun?: boolean;
  as?: string;
}

/** `--map "E-mail=email,Company=company"` → column → field. */
export function parseMapping(spec: string | undefined): Map<string, string> {
  const mapping = new Map<string, string>();
  for (const pair of (spec ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) throw new CliError(`--map takes column=field pairs, got "${pair.trim()}"`);
    mapping.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return mapping;
}

export const describeProblem = (p: CsvProblem) => `line ${p.line}${p.column ? ` (${p.column})` : ''}: ${p.reason}`;

function progressReporter(term: Terminal, className: string): (done: number, total: number) => void {
  let bar: ReturnType<Terminal['progress']> | null = null;
  let lastLine = 0;
  return (done, total) => {
    bar ??= term.progress(className, total);
    bar.increment(done - lastLine);
    if (
      !term.io.stderr.isTTY &&
      total >= PROGRESS_LINES_FROM &&
      (done === total || done - lastLine >= total / 10 || done % 5000 === 0)
    )
      term.note(`${done}/${total} rows imported`);
    lastLine = done;
    if (done >= total) bar.stop();
  };
}

function printReport(term: Terminal, report: ImportReport): void {
  for (const problem of report.problems) term.warn(describeProblem(problem));
  for (const note of report.duplicates) {
    term.note(
      `line ${note.line}: duplicate ${note.key} — ${note.duplicateOf ? `same as existing ${report.className} ${note.duplicateOf}` : `same as line ${note.sameAsLine}`}`,
    );
  }
  const companies = report.created.Company ?? [];
  if (report.dryRun) {
    const created = companies.length
      ? `; would create ${plural(companies.length, 'company', 'companies')}: ${companies.join(', ')}`
      : '';
    term.print(`dry run: ${plural(report.imported, 'row')} ready to import${created}; nothing written`);
  } else {
    term.ok(
      `imported ${plural(report.imported, report.className, classPlural(report.className))}${companies.length ? ` (${plural(companies.length, 'new company', 'new companies')}: ${companies.join(', ')})` : ''}`,
    );
  }
  if (report.duplicates.length) term.print(`${plural(report.duplicates.length, 'possible duplicate')} flagged`);
}

export function registerImportCsvCommand(program: Command, ctx: CliContext): void {
  program
    .command('import-csv')
    .description('import Contacts, Companies or Deals from a CSV file')
    .argument('<class>', CSV_CLASSES.join(', '))
    .argument('<file>', 'CSV file')
    .option(
      '--map <pairs>',
      'column=field pairs, e.g. "Full name=name,E-mail=email,Employer=company" (default: columns named like fields)',
    )
    .option('--as <user>', 'create the objects as this user (owner and ACL as if they had entered them); default: master')
    .option('--dry-run', 'check every row and report bad ones; write nothing')
    .addHelpText(
      'after',
      `
Pointers are given by name: company by its name (created when missing; "${COMPANY_NAME}" works too), contact by
email or "First Last", assignedTo by username or email. Only records the importing user can see are matched.
Rows whose email (contacts) or web domain (companies) matches an existing record are flagged as duplicates.
Exits 1 when any row is bad (a real run still imports the good rows).`,
    )
    .action(async (className: string, file: string, options: CsvImportOptions, command: Command) => {
      if (!isCsvClass(className)) throw new CliError(`import-csv takes ${CSV_CLASSES.join(', ')}, not "${className}"`);
      const csv = readFileSync(file, 'utf8');
      const mapping = parseMapping(options.map);
      const report = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, async (services) => {
        const auth = options.as ? await authAs(services, options.as) : MASTER;
        return importCsv(services, auth, {
          className,
          csv,
          mapping,
          dryRun: options.dryRun,
          onProgress: progressReporter(ctx.term, className),
        });
      });
      const ignored = report.columns.filter((c) => c.field === null).map((c) => c.column);
      if (ignored.length) ctx.term.note(`ignoring columns: ${ignored.join(', ')}`);
      printReport(ctx.term, report);
      if (report.problems.length)
        throw new CliError(`${plural(report.problems.length, 'bad row')} ${options.dryRun ? 'found' : 'skipped'}`);
    });
}
