import Parse from 'parse';

/** Empty optional values are removed rather than stored as blanks, so "has a phone" queries stay honest. */
export function setOrUnset(object: Parse.Object, key: string, value: unknown): void {
  if (value === null || value === undefined || value === '') {
    if (object.has(key)) object.unset(key);
  } else {
    object.set(key, value);
  }
}
