/**
 * Stored rows → Parse JSON objects. The per-field decoders are built once per compiled class (cached by
 * identity), so encoding a page of results is a loop over prepared functions — no schema lookups, no Date
 * parsing (dates are stored in their wire form).
 */
import type { Row } from '../storage/adapter.js';
import type { CompiledClass } from '../schema/compiled.js';
import { aclToJson } from './acl.js';
import { decoderFor, type Decoder } from './values.js';

export type ParseObjectJson = Record<string, unknown>;

const PLAIN_COLUMNS = new Set(['objectId', 'createdAt', 'updatedAt']);

interface ClassCodec {
  decoders: Array<[string, Decoder]>;
}

const codecs = new WeakMap<CompiledClass, ClassCodec>();

function codecFor(cls: CompiledClass): ClassCodec {
  let codec = codecs.get(cls);
  if (!codec) {
    const decoders: Array<[string, Decoder]> = [];
    for (const field of cls.columnFields) {
      if (!PLAIN_COLUMNS.has(field)) decoders.push([field, decoderFor(cls.fields.get(field)!)]);
    }
    codec = { decoders };
    codecs.set(cls, codec);
  }
  return codec;
}

/**
 * Encodes the columns present in `row`; absent and NULL columns are left out, as Parse does. Relation fields
 * named in `relations` appear as Parse's relation descriptor, which the SDK needs for `object.relation()`.
 */
export function encodeRow(cls: CompiledClass, row: Row, relations: readonly string[] = []): ParseObjectJson {
  const out: ParseObjectJson = { objectId: row.objectId };
  if (row.createdAt != null) out.createdAt = row.createdAt;
  if (row.updatedAt != null) out.updatedAt = row.updatedAt;
  for (const [field, decode] of codecFor(cls).decoders) {
    const value = row[field];
    if (value != null) out[field] = decode(value);
  }
  for (const field of relations) out[field] = { __type: 'Relation', className: cls.fields.get(field)!.targetClass };
  if (row._acl !== undefined) {
    const acl = aclToJson(row._acl);
    if (acl) out.ACL = acl;
  }
  return out;
}
