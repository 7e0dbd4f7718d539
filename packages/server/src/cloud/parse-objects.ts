/**
 * Stored rows and write bodies ↔ the Parse SDK objects cloud code works with. A beforeSave trigger gets the
 * object as it will be after the write (the stored object, or nothing for a create, with the body applied
 * as pending changes); whatever is pending after the trigger is the write.
 */
import { encodeRow } from '../codec/row-codec.js';
import type { CompiledClass } from '../schema/compiled.js';
import type { AuthUser } from '../security/auth.js';
import type { Row } from '../storage/adapter.js';
import { sdkDecode, type Parse, type SdkObject } from './private-sdk.js';

/** Keys the SDK does not carry as pending changes; they pass from the caller's body untouched. */
const PASS_THROUGH = new Set(['objectId', 'createdAt', 'updatedAt']);

export function objectFromRow(sdk: Parse, cls: CompiledClass, row: Row): SdkObject {
  return sdk.Object.fromJSON({ ...encodeRow(cls, row), className: cls.className });
}

/** The object a beforeSave sees: `original` (absent for a create) with the body's changes pending. */
export function objectForSave(sdk: Parse, cls: CompiledClass, body: Record<string, unknown>, original: Row | null): SdkObject {
  const object = original ? objectFromRow(sdk, cls, original) : sdk.Object.fromJSON({ className: cls.className });
  for (const [key, value] of Object.entries(body)) {
    if (PASS_THROUGH.has(key)) continue;
    const decoded = isOperation(value) || key === 'ACL' ? value : sdkDecode(sdk, value);
    object.set(key, decoded, { ignoreValidation: true });
  }
  return object;
}

/**
 * The write after a beforeSave: the trigger's pending changes, keeping the caller's own encoding for keys the
 * trigger left alone. `changed` lists the keys whose value the trigger set, reverted or unset.
 */
export function bodyAfterSave(
  object: SdkObject,
  body: Record<string, unknown>,
): { body: Record<string, unknown>; changed: string[] } {
  const pending = (object as unknown as { _getSaveJSON(): Record<string, unknown> })._getSaveJSON();
  const out: Record<string, unknown> = {};
  const changed: string[] = [];
  for (const key of Object.keys(body)) {
    if (PASS_THROUGH.has(key)) out[key] = body[key];
    else if (!(key in pending)) changed.push(key);
  }
  for (const [key, value] of Object.entries(pending)) {
    if (key in body && JSON.stringify(body[key]) === JSON.stringify(value)) out[key] = body[key];
    else {
      out[key] = value;
      changed.push(key);
    }
  }
  return { body: out, changed };
}

/** `request.user`: id, username and session token (enough for `{sessionToken}` calls and `fetch()`). */
export function userObject(sdk: Parse, user: AuthUser | null, sessionToken: string | undefined): SdkObject | undefined {
  if (!user) return undefined;
  return sdk.Object.fromJSON({
    className: '_User',
    objectId: user.objectId,
    ...(user.username !== undefined ? { username: user.username } : {}),
    ...(sessionToken ? { sessionToken } : {}),
  });
}

const isOperation = (value: unknown): boolean =>
  value !== null && typeof value === 'object' && typeof (value as { __op?: unknown }).__op === 'string';
