import Parse from 'parse';

/** A Parse object as the server returns it (saved, not dirty), nested objects included. */
export function serverObject(className: string, id: string, attrs: Record<string, unknown> = {}): Parse.Object {
  return Parse.Object.fromJSON(
    { className, objectId: id, createdAt: '2026-01-02T00:00:00.000Z', updatedAt: '2026-01-03T00:00:00.000Z', ...toWire(attrs) },
    true,
  );
}

/** The JSON the REST API would send for these attributes. */
export function toWire(attrs: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(attrs).map(([key, value]) => [key, wireValue(value)]));
}

function wireValue(value: unknown): unknown {
  if (value instanceof Date) return { __type: 'Date', iso: value.toISOString() };
  if (value instanceof Parse.Object)
    return { __type: 'Object', className: value.className, objectId: value.id, ...toWire(value.attributes) };
  return value;
}

/** The wire form of a whole object, for fake REST responses. */
export function wireObject(className: string, id: string, attrs: Record<string, unknown> = {}) {
  return {
    objectId: id,
    createdAt: '2026-01-02T00:00:00.000Z',
    updatedAt: '2026-01-03T00:00:00.000Z',
    ...toWire(attrs),
    className,
  };
}
