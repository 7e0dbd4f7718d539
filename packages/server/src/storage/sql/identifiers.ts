import { createHash } from 'node:crypto';

/** PostgreSQL truncates identifiers at 63 bytes, so two long names could collide; those get a hashed tail. */
const MAX_IDENTIFIER_BYTES = 63;

export function shortName(name: string): string {
  if (Buffer.byteLength(name) <= MAX_IDENTIFIER_BYTES) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 12);
  return `${name.slice(0, 40)}~${hash}`;
}
