/** `crm types [FILE]`: interfaces and converters for every class of the live schema. */
import type { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import type { CliContext, GlobalOptions } from './context.js';
import { withServices } from './context.js';
import { generateTypes } from './types-generator.js';

export function registerTypesCommand(program: Command, ctx: CliContext): void {
  program
    .command('types')
    .description('TypeScript interfaces and converters for every class')
    .argument('[file]', 'output file (stdout when omitted)')
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      const { text, count } = await withServices(command.optsWithGlobals<GlobalOptions>(), ctx.io, async (services) => {
        const classes = services.schema.all().map((c) => c.schema);
        return { text: generateTypes(classes), count: classes.length };
      });
      if (!file) {
        ctx.io.stdout.write(text);
        return;
      }
      writeFileSync(file, text);
      ctx.term.ok(`wrote interfaces for ${count} classes to ${file}`);
    });
}
