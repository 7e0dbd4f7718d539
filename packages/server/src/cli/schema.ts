/** `crm schema export [FILE]` and `crm schema import FILE`. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { CliContext, GlobalOptions } from './context.js';
import { withServices } from './context.js';
import { schemaToMarkdown } from '../docs/index.js';
import { describeChange, planSchemaImport, readSchemaDocument, toSeedFormat } from './schema-format.js';
import { applySchemaPlan, declinedActions } from './schema-import.js';
import { readJsonFile } from './json-files.js';
import { CliError } from './errors.js';

export function registerSchemaCommands(program: Command, ctx: CliContext): void {
  const schema = program.command('schema').description('export or import class definitions (seed format)');

  schema
    .command('export')
    .description('write the live schema (stdout when no file is given)')
    .argument('[file]', 'output file')
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      const classes = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, async (services) =>
        services.schema.all().map((c) => c.schema),
      );
      const text = `${JSON.stringify(toSeedFormat(classes), null, 2)}\n`;
      if (!file) {
        ctx.io.stdout.write(text);
        return;
      }
      writeFileSync(file, text);
      ctx.term.ok(`wrote ${classes.length} classes to ${file}`);
    });

  schema
    .command('docs')
    .description('write the data dictionary and ER diagram as Markdown (stdout when no file is given)')
    .argument('[file]', 'output file')
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      const classes = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, async (services) =>
        services.schema.all().map((c) => c.schema),
      );
      const text = schemaToMarkdown(classes);
      if (!file) {
        ctx.io.stdout.write(text);
        return;
      }
      writeFileSync(file, text);
      ctx.term.ok(`wrote the schema docs of ${classes.length} classes to ${file}`);
    });

  schema
    .command('import')
    .description('create missing classes and add missing fields (never drops or changes anything)')
    .argument('<file>', 'schema file (seed format, Schema API results, or MongoDB _SCHEMA documents)')
    .option('--dry-run', 'show what would change without changing it')
    .action(async (file: string, options: { dryRun?: boolean }, command: Command) => {
      const wanted = readSchemaDocument(readJsonFile(file));
      await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, async (services) => {
        const actions = planSchemaImport((c) => services.schema.get(c)?.schema, wanted);
        for (const line of declinedActions(actions)) ctx.term.warn(line);
        const changes = actions.filter((a) => a.kind === 'createClass' || a.kind === 'addField');
        if (changes.length === 0) {
          ctx.term.ok('schema already up to date: nothing to do');
          return;
        }
        if (options.dryRun) {
          for (const action of changes) ctx.term.print(`would ${describeChange(action)}`);
          return;
        }
        try {
          for (const line of await applySchemaPlan(services, actions)) ctx.term.ok(line);
        } catch (error) {
          throw new CliError(`schema import stopped: ${(error as Error).message}`);
        }
      });
    });
}
