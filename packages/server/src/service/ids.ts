import { randomFillSync } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random bytes are drawn 4 KB at a time: one system call per ~200 ids instead of one per id. */
const pool = Buffer.alloc(4096);
let next = pool.length;

function randomByte(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]!;
}

/** Parse's objectId shape: 10 alphanumerics. Rejection sampling keeps every character equally likely. */
export function newObjectId(length = 10): string {
  let id = '';
  while (id.length < length) {
    const byte = randomByte();
    if (byte < 248) id += ALPHABET[byte % 62];
  }
  return id;
}
