/**
 * `crm export DIR`: the whole database in Parse's JSON export format — `<Class>.json` holding
 * `{"results":[…]}` of REST objects, `_Join:<field>:<Class>.json` for relations, and `_SCHEMA.json` with
 * the class definitions (Schema API form) so custom classes, permissions and indexes move too.
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { CliContext, GlobalOptions } from './context.js';
import { withServices } from './context.js';
import { ExportService } from '../service/export-service.js';
import { schemaToJson } from '../schema/validate-schema.js';
import { ResultsWriter, writeJsonFile } from './json-files.js';
import { CliError } from './errors.js';
import type { Terminal } from './io.js';

export interface ExportSummary {
  classes: number;
  objects: number;
  pairs: number;
  seconds: number;
}

export const joinFileName = (className: string, field: string) => `_Join:${field}:${className}.json`;

export async function exportDatabase(exporter: ExportService, dir: string, term: Terminal): Promise<ExportSummary> {
  const started = performance.now();
  const classes = exporter.classes();
  writeJsonFile(path.join(dir, '_SCHEMA.json'), { results: classes.map((c) => schemaToJson(c.schema)) });
  let objects = 0;
  let pairs = 0;
  for (const cls of classes) {
    const bar = term.progress(cls.className, await exporter.count(cls.className));
    const writer = new ResultsWriter(path.join(dir, `${cls.className}.json`));
    try {
      for await (const page of exporter.pages(cls.className)) {
        await writer.write(page);
        objects += page.length;
        bar.increment(page.length);
      }
    } finally {
      await writer.close();
      bar.stop();
    }
    for (const field of cls.relationFields) {
      const joins = new ResultsWriter(path.join(dir, joinFileName(cls.className, field)));
      try {
        for await (const batch of exporter.relationPairs(cls.className, field)) {
          await joins.write(batch);
          pairs += batch.length;
        }
      } finally {
        await joins.close();
      }
    }
  }
  return { classes: classes.length, objects, pairs, seconds: (performance.now() - started) / 1000 };
}

export function registerExportCommand(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description("write the whole database to DIR in Parse's JSON export format")
    .argument('<dir>', 'output directory (created when missing)')
    .option('--force', 'write into a directory that already holds files')
    .action(async (dir: string, options: { force?: boolean }, command: Command) => {
      if (existsSync(dir) && readdirSync(dir).length > 0 && !options.force)
        throw new CliError(`${dir} is not empty (use --force to write into it anyway)`);
      mkdirSync(dir, { recursive: true });
      const summary = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, (services) =>
        exportDatabase(new ExportService(services.objects, services.storage, services.schema), dir, ctx.term),
      );
      const rate = Math.round((summary.objects + summary.pairs) / Math.max(summary.seconds, 0.001));
      ctx.term.ok(
        `exported ${summary.objects} objects of ${summary.classes} classes and ${summary.pairs} relation pairs to ${dir} in ${summary.seconds.toFixed(1)} s (${rate} rows/s)`,
      );
    });
}
