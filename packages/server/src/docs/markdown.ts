/**
 * The schema as one Markdown document (ER diagram in a ```mermaid block, then a data dictionary table per
 * class), for `crm schema docs` and for anyone who keeps docs in a repository. Pure.
 */
import { classDescription, dictionaryRows, inReadingOrder, type DocClass } from './documented-class.js';
import { schemaToMermaid } from './mermaid.js';

/** A table cell: pipes would split the cell, line breaks would end the row. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

function classSection(cls: DocClass): string {
  const rows = dictionaryRows(cls);
  const intro = classDescription(cls.className);
  return [
    `### ${cls.className}`,
    '',
    ...(intro ? [intro, ''] : []),
    '| Field | Type | Description | Required |',
    '| --- | --- | --- | --- |',
    // Code spans keep `Pointer<Company>` from being read as an HTML tag.
    ...rows.map((r) => `| ${cell(r.field)} | \`${cell(r.type)}\` | ${cell(r.description)} | ${r.required} |`),
    '',
    `${rows.length} fields in ${cls.className}`,
  ].join('\n');
}

export function schemaToMarkdown(classes: readonly DocClass[]): string {
  const ordered = inReadingOrder(classes);
  return [
    '# Data model',
    '',
    `${ordered.length} classes: ${ordered.map((c) => c.className).join(', ')}.`,
    '',
    '## ER diagram',
    '',
    '```mermaid',
    schemaToMermaid(ordered).trimEnd(),
    '```',
    '',
    '## Data dictionary',
    '',
    ordered.map(classSection).join('\n\n'),
    '',
  ].join('\n');
}
