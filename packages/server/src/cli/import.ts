/**
 * `crm import DIR`: loads an export — ours, Parse's JSON export, or a MongoDB-shaped one from Parse or
 * Back4app — through the ImportService: objectIds, timestamps, ACLs and password hashes are kept. Order:
 * class definitions, users and roles, every other class, then relations. Rows already present (same
 * objectId) are left alone, so an interrupted import can simply be run again.
 */
import type { Command } from 'commander';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CliContext, GlobalOptions } from './context.js';
import { describeStore, withServices } from './context.js';
import { rebuildRollup } from '../forecast/rollup.js';
import type { Services } from '../service/services.js';
import { ImportService, type RowProblem } from '../service/import-service.js';
import type { ClassSchema } from '../schema/types.js';
import { CLASS_NAME_PATTERN } from '../schema/types.js';
import { describeChange, planSchemaImport, plannedSchemas, readSchemaDocument } from './schema-format.js';
import { applySchemaPlan, declinedActions } from './schema-import.js';
import { readJsonFile, readResults } from './json-files.js';
import { fromMongoDocument, isMongoShaped } from './mongo-format.js';
import { CliError } from './errors.js';
import type { Terminal } from './io.js';

export interface ImportSummary {
  objects: number;
  pairs: number;
  existing: number;
  problems: number;
  seconds: number;
}

interface ImportPlan {
  schemaFile?: string;
  classFiles: Array<{ className: string; file: string }>;
  joinFiles: Array<{ className: string; field: string; file: string }>;
}

/** Problems printed per file; the rest are counted. */
const SHOWN_PROBLEMS = 20;
const FIRST_CLASSES = ['_User', '_Role'];
/** Never imported: a session only works with the install that issued its token. */
const SKIPPED_CLASSES = new Set(['_Session']);

function assertDirectory(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new CliError(`${dir} is not a directory`);
}

function planFiles(dir: string, term: Terminal): ImportPlan {
  assertDirectory(dir);
  const plan: ImportPlan = { classFiles: [], joinFiles: [] };
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.json')) continue;
    const file = path.join(dir, name);
    const base = name.slice(0, -'.json'.length);
    const join = /^_Join:([A-Za-z][A-Za-z0-9_]*):(_?[A-Za-z][A-Za-z0-9_]*)$/.exec(base);
    if (base === '_SCHEMA') plan.schemaFile = file;
    else if (join) plan.joinFiles.push({ field: join[1], className: join[2], file });
    else if (SKIPPED_CLASSES.has(base)) term.note(`skipping ${name}: sessions are not portable (users log in again)`);
    else if (CLASS_NAME_PATTERN.test(base)) plan.classFiles.push({ className: base, file });
    else term.warn(`skipping ${name}: not a class file`);
  }
  const rank = (c: string) => (FIRST_CLASSES.includes(c) ? FIRST_CLASSES.indexOf(c) : FIRST_CLASSES.length);
  plan.classFiles.sort((a, b) => rank(a.className) - rank(b.className) || a.className.localeCompare(b.className));
  if (plan.classFiles.length === 0 && plan.joinFiles.length === 0)
    throw new CliError(`${dir} holds no export files (<Class>.json)`);
  return plan;
}

function reportProblems(term: Terminal, label: string, problems: RowProblem[]): void {
  for (const problem of problems.slice(0, SHOWN_PROBLEMS)) {
    const id = problem.objectId ? ` (${problem.objectId})` : '';
    term.warn(`${label} row ${problem.index + 1}${id}: ${problem.reason}`);
  }
  if (problems.length > SHOWN_PROBLEMS) term.warn(`${label}: ${problems.length - SHOWN_PROBLEMS} more bad rows not shown`);
}

/** Class definitions first; a dry run only plans them, and validates the rows against the plan. */
async function importSchema(
  services: Services,
  file: string | undefined,
  dryRun: boolean,
  term: Terminal,
): Promise<Map<string, ClassSchema>> {
  const live = services.schema.all().map((c) => c.schema);
  if (!file) return new Map(live.map((s) => [s.className, s]));
  const actions = planSchemaImport((c) => services.schema.get(c)?.schema, readSchemaDocument(readJsonFile(file)));
  for (const line of declinedActions(actions)) term.note(line);
  if (dryRun) {
    for (const action of actions) if (describeChange(action)) term.print(`would ${describeChange(action)}`);
    return plannedSchemas(live, actions);
  }
  for (const line of await applySchemaPlan(services, actions)) term.ok(line);
  return new Map(services.schema.all().map((c) => [c.className, c.schema]));
}

function restForm(rows: unknown[], schema: ClassSchema | undefined): unknown[] {
  if (!isMongoShaped(rows)) return rows;
  const dates = new Set(
    Object.entries(schema?.fields ?? {})
      .filter(([, def]) => def.type === 'Date')
      .map(([name]) => name),
  );
  return rows.map((row) => (row && typeof row === 'object' ? fromMongoDocument(row as Record<string, unknown>, dates) : row));
}

interface ImportRun {
  importer: ImportService;
  planned: Map<string, ClassSchema>;
  options: { dryRun?: boolean; batchSize?: number };
  summary: ImportSummary;
  term: Terminal;
}

const verbOf = (run: ImportRun) => (run.options.dryRun ? 'would import' : 'imported');

async function importClassFile(run: ImportRun, className: string, file: string): Promise<void> {
  const { planned, summary, term } = run;
  if (className.startsWith('_') && !planned.has(className)) {
    term.warn(`skipping ${path.basename(file)}: this server has no class ${className}`);
    return;
  }
  const rows = restForm(readResults(file), planned.get(className));
  const bar = term.progress(className, rows.length);
  const result = await run.importer.importObjects(className, rows, {
    ...run.options,
    planned: planned.get(className),
    onProgress: (n) => bar.increment(n),
  });
  bar.stop();
  // Later files (relations) are checked against the class as this file left it.
  const schema = planned.get(className) ?? { className, fields: {}, classLevelPermissions: {}, indexes: {} };
  planned.set(className, { ...schema, fields: { ...schema.fields, ...result.newFields } });
  summary.objects += result.written;
  summary.existing += result.existing;
  summary.problems += result.problems.length;
  const roles = result.replacedRoles;
  const extras = [
    result.existing ? `${result.existing} already present` : '',
    result.problems.length ? `${result.problems.length} bad` : '',
    roles.length ? `in place of the empty built-in role${roles.length > 1 ? 's' : ''} ${roles.join(', ')}` : '',
    Object.keys(result.newFields).length ? `new fields ${Object.keys(result.newFields).join(', ')}` : '',
  ].filter(Boolean);
  term.ok(`${className}: ${verbOf(run)} ${result.written} of ${result.total}${extras.length ? ` (${extras.join('; ')})` : ''}`);
  reportProblems(term, className, result.problems);
}

async function importJoinFile(run: ImportRun, className: string, field: string, file: string): Promise<void> {
  const { summary, term } = run;
  const label = `${className}.${field}`;
  const pairs = readResults(file);
  const schema = run.planned.get(className);
  if (schema?.fields[field]?.type !== 'Relation') {
    term.warn(
      `skipping ${path.basename(file)}: ${label} is not a Relation field (declare it in _SCHEMA.json or with crm schema import)`,
    );
    summary.problems += pairs.length;
    return;
  }
  const bar = term.progress(label, pairs.length);
  const result = await run.importer.importRelations(className, field, pairs, {
    ...run.options,
    planned: schema,
    onProgress: (n) => bar.increment(n),
  });
  bar.stop();
  summary.pairs += result.written;
  summary.problems += result.problems.length;
  const bad = result.problems.length ? ` (${result.problems.length} bad)` : '';
  term.ok(`${label}: ${verbOf(run)} ${result.written} relation pairs${bad}`);
  reportProblems(term, label, result.problems);
}

export async function importDatabase(
  services: Services,
  dir: string,
  options: { dryRun?: boolean; batchSize?: number },
  term: Terminal,
): Promise<ImportSummary> {
  const started = performance.now();
  const plan = planFiles(dir, term);
  const run: ImportRun = {
    importer: new ImportService(services.storage, services.schema, services.schemas),
    planned: await importSchema(services, plan.schemaFile, Boolean(options.dryRun), term),
    options,
    summary: { objects: 0, pairs: 0, existing: 0, problems: 0, seconds: 0 },
    term,
  };
  for (const { className, file } of plan.classFiles) await importClassFile(run, className, file);
  for (const { className, field, file } of plan.joinFiles) await importJoinFile(run, className, field, file);
  // Memberships changed under any running instance's feet: let them re-read roles.
  if (!options.dryRun) services.sessions.invalidateRoles();
  run.summary.seconds = (performance.now() - started) / 1000;
  return run.summary;
}

export function registerImportCommand(program: Command, ctx: CliContext): void {
  program
    .command('import')
    .description('load an export (ours, Parse JSON or MongoDB-shaped) keeping ids, dates, ACLs and passwords')
    .argument('<dir>', 'directory of <Class>.json and _Join:<field>:<Class>.json files')
    .option('--dry-run', 'validate every row and report bad ones; write nothing')
    .option('--batch-size <n>', 'rows per transaction', (v) => Number.parseInt(v, 10), 500)
    .addHelpText(
      'after',
      '\nExits 1 when any row was refused (the others are imported). Moving to PostgreSQL:\n  crm export dump/            # with DATA_DIR\n  DATABASE_URL=postgres://… crm import dump/',
    )
    .action(async (dir: string, options: { dryRun?: boolean; batchSize: number }, command: Command) => {
      if (!Number.isInteger(options.batchSize) || options.batchSize < 1)
        throw new CliError('--batch-size must be a positive integer');
      assertDirectory(dir);
      const globals = command.optsWithGlobals<GlobalOptions>();
      const summary = await withServices(globals, ctx.io, async (services) => {
        ctx.term.note(`${options.dryRun ? 'checking' : 'importing'} ${dir} into ${describeStore(services.config)}`);
        const result = await importDatabase(services, dir, options, ctx.term);
        // The import writes rows directly, past the write hooks that keep the forecast rollup.
        if (!options.dryRun) await rebuildRollup(services.storage, services.schema, services.config.stages);
        return result;
      });
      const rows = summary.objects + summary.pairs;
      const rate = Math.round(rows / Math.max(summary.seconds, 0.001));
      const what = `${summary.objects} objects and ${summary.pairs} relation pairs`;
      if (options.dryRun)
        ctx.term.print(`dry run: ${what} would be imported; ${summary.existing} already present; nothing written`);
      else
        ctx.term.ok(`imported ${what} in ${summary.seconds.toFixed(1)} s (${rate} rows/s); ${summary.existing} already present`);
      if (summary.problems > 0)
        throw new CliError(
          `${summary.problems} bad row${summary.problems === 1 ? '' : 's'} ${options.dryRun ? 'found' : 'skipped'}`,
        );
    });
}
