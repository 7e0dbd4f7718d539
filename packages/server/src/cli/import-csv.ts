/**
 * `crm import-csv Contact|Company FILE --map col=field,…`: spreadsheet rows become objects through the
 * object service (so the CRM policy, defaults and validation apply as for any create). Every row is
 * checked first with the same codec a create uses; a dry run stops there and writes nothing.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import type { CliContext, GlobalOptions } from './context.js';
import { withServices } from './context.js';
import type { Services } from '../service/services.js';
import { MASTER, type Auth } from '../security/auth.js';
import { decodeWrite } from '../codec/write-body.js';
import type { CompiledClass } from '../schema/compiled.js';
import { authAs } from './accounts.js';
import { COMPANY_NAME, parseMapping, readCsv, type CsvProblem, type CsvRow } from './csv-rows.js';
import { CliError } from './errors.js';
import type { Terminal } from './io.js';

export const CSV_CLASSES = ['Contact', 'Company'] as const;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const BATCH = 500;

export interface CsvImportOptions {
  map?: string;
  dryRun?: boolean;
  as?: string;
}

export interface CsvImportResult {
  imported: number;
  companiesCreated: number;
  companiesToCreate: string[];
  problems: CsvProblem[];
}

/** What a create would refuse, found without creating: types, ACL, required fields. */
function validate(cls: CompiledClass, auth: Auth, rows: CsvRow[], problems: CsvProblem[]): CsvRow[] {
  return rows.filter((row) => {
    try {
      const decoded = decodeWrite(cls, { ...row.body }, { mode: 'create', isMaster: auth.isMaster });
      for (const field of cls.requiredFields) {
        if (decoded.values[field] == null || decoded.values[field] === '') throw new Error(`${field} is required`);
      }
      return true;
    } catch (error) {
      problems.push({ line: row.line, reason: (error as Error).message });
      return false;
    }
  });
}

/** Every company name → objectId, case-insensitively (the master sees them all, so none is duplicated). */
async function companiesByName(services: Services): Promise<Map<string, string>> {
  const byName = new Map<string, string>();
  for (let skip = 0; ; skip += 1000) {
    const { results } = await services.objects.find(MASTER, 'Company', { keys: 'name', order: 'createdAt', limit: 1000, skip });
    for (const company of results)
      if (typeof company.name === 'string') byName.set(company.name.toLowerCase(), String(company.objectId));
    if (results.length < 1000) return byName;
  }
}

/** Creates rows a batch per transaction; a refused batch is retried row by row so one bad row costs only itself. */
async function createRows(
  services: Services,
  auth: Auth,
  className: string,
  rows: CsvRow[],
  problems: CsvProblem[],
  term: Terminal,
): Promise<number> {
  let created = 0;
  const bar = term.progress(className, rows.length);
  const createAll = async (batch: CsvRow[]) => {
    const afterCommit: Array<() => void> = [];
    await services.storage.transaction(async (tx) => {
      for (const row of batch) await services.objects.create(auth, className, row.body, { tx, afterCommit });
    });
    for (const work of afterCommit) work();
  };
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    try {
      await createAll(batch);
      created += batch.length;
    } catch {
      for (const row of batch) {
        try {
          await createAll([row]);
          created += 1;
        } catch (error) {
          problems.push({ line: row.line, reason: (error as Error).message });
        }
      }
    }
    bar.increment(batch.length);
  }
  bar.stop();
  return created;
}

export async function importCsv(
  services: Services,
  className: string,
  text: string,
  options: CsvImportOptions,
  term: Terminal,
): Promise<CsvImportResult> {
  const cls = services.schema.get(className);
  if (!cls) throw new CliError(`this database has no class ${className}`);
  const auth = options.as ? await authAs(services, options.as) : MASTER;
  const parsed = readCsv(text, cls, parseMapping(options.map));
  if (parsed.ignored.length) term.note(`ignoring columns: ${parsed.ignored.join(', ')}`);
  const problems = [...parsed.problems];
  const rows = validate(cls, auth, parsed.rows, problems);

  const companies = rows.some((r) => r.companyName) ? await companiesByName(services) : new Map<string, string>();
  const missing = new Map<string, string>();
  for (const row of rows) {
    const key = row.companyName?.toLowerCase();
    // The first spelling in the file names the new company.
    if (key && !companies.has(key) && !missing.has(key)) missing.set(key, row.companyName!);
  }
  const result: CsvImportResult = { imported: 0, companiesCreated: 0, companiesToCreate: [...missing.values()], problems };
  if (options.dryRun) {
    result.imported = rows.length;
    problems.sort((a, b) => a.line - b.line);
    return result;
  }
  for (const [key, name] of missing) {
    const company = await services.objects.create(auth, 'Company', { name });
    companies.set(key, company.objectId);
    result.companiesCreated += 1;
  }
  for (const row of rows) {
    if (row.companyName)
      row.body.company = { __type: 'Pointer', className: 'Company', objectId: companies.get(row.companyName.toLowerCase()) };
  }
  result.imported = await createRows(services, auth, className, rows, problems, term);
  problems.sort((a, b) => a.line - b.line);
  return result;
}

export function registerImportCsvCommand(program: Command, ctx: CliContext): void {
  program
    .command('import-csv')
    .description('import Contacts or Companies from a CSV file')
    .argument('<class>', 'Contact or Company')
    .argument('<file>', 'CSV file')
    .option(
      '--map <pairs>',
      'column=field pairs, e.g. "Full name=name,E-mail=email,Employer=companyName" (default: columns named like fields)',
    )
    .option('--as <user>', 'create the objects as this user (owner and ACL as if they had entered them); default: master')
    .option('--dry-run', 'check every row and report bad ones; write nothing')
    .addHelpText(
      'after',
      `\nFor Contacts, mapping a column to ${COMPANY_NAME} links each contact to the Company of that name, creating it when missing.\nExits 1 when any row is bad (a real run still imports the good rows).`,
    )
    .action(async (className: string, file: string, options: CsvImportOptions, command: Command) => {
      if (!(CSV_CLASSES as readonly string[]).includes(className))
        throw new CliError(`import-csv takes Contact or Company, not "${className}"`);
      const text = readFileSync(file, 'utf8');
      const result = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, (services) =>
        importCsv(services, className, text, options, ctx.term),
      );
      for (const problem of result.problems) ctx.term.warn(`line ${problem.line}: ${problem.reason}`);
      if (options.dryRun) {
        const companies = result.companiesToCreate.length
          ? `; would create ${plural(result.companiesToCreate.length, 'company', 'companies')}: ${result.companiesToCreate.join(', ')}`
          : '';
        ctx.term.print(`dry run: ${plural(result.imported, 'row')} ready to import${companies}; nothing written`);
      } else {
        const companies = result.companiesCreated ? ` (${plural(result.companiesCreated, 'new company', 'new companies')})` : '';
        ctx.term.ok(
          `imported ${plural(result.imported, className, className === 'Company' ? 'Companies' : `${className}s`)}${companies}`,
        );
      }
      if (result.problems.length)
        throw new CliError(`${plural(result.problems.length, 'bad row')} ${options.dryRun ? 'found' : 'skipped'}`);
    });
}
