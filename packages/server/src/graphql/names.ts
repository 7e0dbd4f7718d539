/**
 * Parse class names → GraphQL names, the way Parse Server's GraphQL API spells them: system classes lose their
 * underscore (`_User` → `User`), types start upper-case, query fields lower-case (`deal`), and list queries are
 * plurals (`activities`, `companies`), so clients written against Parse keep working.
 */
export interface ClassNames {
  /** Object type name: `Deal`, `User`. */
  type: string;
  /** Single-object query and payload field: `deal`, `user`. */
  single: string;
  /** Connection query and subscription field: `deals`, `users`. */
  plural: string;
}

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export function typeNameFor(className: string): string {
  const bare = className.startsWith('_') ? className.slice(1) : className;
  return bare.charAt(0).toUpperCase() + bare.slice(1);
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** English plurals for identifiers: enough for class names, not a linguistic library. */
export function pluralize(word: string): string {
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  return `${word}s`;
}

export function classNamesFor(className: string): ClassNames | null {
  const type = typeNameFor(className);
  if (!GRAPHQL_NAME.test(type) || type.startsWith('__')) return null;
  const single = lowerFirst(type);
  return { type, single, plural: pluralize(single) };
}

/** `relatedTo` → `RelatedTo`, for names derived from a field (`ActivityRelatedToTarget`). */
export const upperFirst = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);
