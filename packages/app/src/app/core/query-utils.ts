import Parse from 'parse';

/** The server's page cap (MAX_LIMIT); the board loads every deal the user can see in one request up to it. */
export const MAX_LIMIT = 10_000;

export function escapeRegex(term: string): string {
  return term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Case-insensitive "contains" over several text fields; no term matches everything. */
export function textSearch(className: string, fields: readonly string[], term: string): Parse.Query {
  const trimmed = term.trim();
  if (!trimmed) return new Parse.Query(className);
  const pattern = escapeRegex(trimmed);
  const branches = fields.map((field) => new Parse.Query(className).matches(field, pattern, 'i'));
  return branches.length === 1 ? branches[0] : Parse.Query.or(...branches);
}

export function pointer(className: string, id: string): Parse.Object {
  return Parse.Object.extend(className).createWithoutData(id);
}
