/**
 * The normalized keys two records are compared by: a contact's email (trimmed, lower-cased) and a
 * company's web domain (scheme, `www.`, port, path and case stripped: https://www.Acme.com/about → acme.com).
 * Pure functions; the write hooks store the result in an indexed column so a duplicate check is one lookup.
 */

/** Which field each class is compared by, and the column its key is stored in. */
export const DUPLICATE_KEYS = {
  Contact: { source: 'email', key: 'emailKey', normalize: emailKey },
  Company: { source: 'website', key: 'domainKey', normalize: domainKey },
} as const satisfies Record<string, { source: string; key: string; normalize: (value: unknown) => string | null }>;

export type DedupeClass = keyof typeof DUPLICATE_KEYS;

export const isDedupeClass = (className: string): className is DedupeClass => Object.hasOwn(DUPLICATE_KEYS, className);

/** The server-managed fields of a dedupe class: clients never write them directly (duplicateOf may be cleared). */
export const DUPLICATE_OF = 'duplicateOf';

export function emailKey(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const key = value.trim().toLowerCase();
  return key === '' ? null : key;
}

export function domainKey(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let text = value.trim().toLowerCase();
  if (text === '') return null;
  // "acme.com/about" has no scheme; URL() needs one to find the host.
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(text)) text = `http://${text}`;
  let host: string;
  try {
    host = new URL(text).hostname;
  } catch {
    return null;
  }
  host = host.replace(/\.$/, '').replace(/^www\d*\./, '');
  // A bare word ("n/a", "none") is not a domain; comparing those would flag unrelated companies.
  return host.includes('.') ? host : null;
}
