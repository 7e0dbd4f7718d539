/**
 * The ER diagram as Mermaid source: one entity per class, one edge per Pointer target (a polymorphic pointer
 * draws an edge to each class it may reach) and per Relation. Pure, so the CLI can print it too.
 */
import { documentedFields, inReadingOrder, targetsOf, type DocClass, type DocField } from './documented-class.js';

/** Mermaid ends a comment at the first double quote; nothing else in a comment needs care. */
const comment = (text: string) => `"${text.replace(/"/g, "'")}"`;

/** Every class has an ACL; as a row it would add noise to each box and say nothing about the model. */
const drawn = (field: DocField) => field.def.type !== 'ACL';

function attributeLine({ name, def, writeOnly }: DocField): string {
  const key = name === 'objectId' ? ' PK' : def.type === 'Pointer' ? ' FK' : '';
  const targets = targetsOf(def);
  const notes = [
    ...(def.type === 'Pointer' || def.type === 'Relation'
      ? [`to ${targets.length > 0 ? targets.join(' or ') : 'any class'}`]
      : []),
    ...(def.required ? ['required'] : []),
    ...(writeOnly ? ['write-only'] : []),
  ];
  return `    ${def.type} ${name}${key}${notes.length > 0 ? ` ${comment(notes.join(', '))}` : ''}`;
}

const attributeLines = (cls: DocClass): string[] => documentedFields(cls).filter(drawn).map(attributeLine);

function edgeLines(cls: DocClass): string[] {
  const edges: string[] = [];
  for (const [name, def] of Object.entries(cls.fields)) {
    for (const target of targetsOf(def)) {
      // Read as "one <target> has many <class>"; a required pointer makes the one side exactly one.
      if (def.type === 'Pointer') edges.push(`  ${target} ${def.required ? '||' : '|o'}--o{ ${cls.className} : ${comment(name)}`);
      if (def.type === 'Relation') edges.push(`  ${cls.className} }o--o{ ${target} : ${comment(name)}`);
    }
  }
  return edges;
}

export function schemaToMermaid(classes: readonly DocClass[]): string {
  const ordered = inReadingOrder(classes);
  const entities = ordered.flatMap((cls) => [`  ${cls.className} {`, ...attributeLines(cls), '  }']);
  return ['erDiagram', ...entities, ...ordered.flatMap(edgeLines)].join('\n') + '\n';
}
