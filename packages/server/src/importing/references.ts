/**
 * Names in a CSV → objects, looked up with the importing user's own read permissions: a rep's file links to
 * the companies, contacts and users that rep can see, never to another rep's private records (a company the
 * rep cannot see is created anew for them). Each target class is read once, a page at a time, on first use.
 */
import type { ParseObjectJson } from '../codec/row-codec.js';
import type { Auth } from '../security/auth.js';
import type { Services } from '../service/services.js';
import { emailKey } from '../duplicates/keys.js';

interface Candidate {
  objectId: string;
  /** Flagged as a duplicate of another: when a name matches several, the one unflagged original wins. */
  flagged: boolean;
}

export type Resolution = { objectId: string } | { missing: true } | { ambiguous: number };

const PAGE = 1000;
const normalizeName = (text: string) => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** What each named class is found by, in the order tried. */
const LOOKUP: Record<string, { keys: string; names: (o: ParseObjectJson) => string[] }> = {
  Company: { keys: 'name,duplicateOf', names: (o) => [o.name].filter(isText).map(normalizeName) },
  Contact: {
    keys: 'name,email,duplicateOf',
    names: (o) => [emailKey(o.email), typeof o.name === 'string' ? normalizeName(o.name) : null].filter(isText),
  },
  _User: { keys: 'username,email', names: (o) => [o.username, o.email].filter(isText).map((t) => t.toLowerCase()) },
};

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

export const lookupKey = (target: string, text: string): string =>
  target === 'Contact' && text.includes('@')
    ? (emailKey(text) ?? '')
    : target === '_User'
      ? text.trim().toLowerCase()
      : normalizeName(text);

export class ReferenceIndex {
  private readonly loaded = new Map<string, Map<string, Candidate[]>>();

  constructor(
    private readonly services: Services,
    private readonly auth: Auth,
  ) {}

  async resolve(target: string, text: string): Promise<Resolution> {
    const index = await this.load(target);
    const candidates = index.get(lookupKey(target, text)) ?? [];
    if (candidates.length === 0) return { missing: true };
    if (candidates.length === 1) return { objectId: candidates[0].objectId };
    const originals = candidates.filter((c) => !c.flagged);
    return originals.length === 1 ? { objectId: originals[0].objectId } : { ambiguous: candidates.length };
  }

  /** A record created by this import, findable by later rows. */
  add(target: string, text: string, objectId: string): void {
    const index = this.loaded.get(target);
    const key = lookupKey(target, text);
    if (index) index.set(key, [...(index.get(key) ?? []), { objectId, flagged: false }]);
  }

  private async load(target: string): Promise<Map<string, Candidate[]>> {
    const known = this.loaded.get(target);
    if (known) return known;
    const index = new Map<string, Candidate[]>();
    const { keys, names } = LOOKUP[target];
    // Pages by objectId (not skip), so reading a large class stays linear.
    for (let after = ''; ;) {
      const { results } = await this.services.objects.find(this.auth, target, {
        where: { objectId: { $gt: after } },
        order: 'objectId',
        keys,
        limit: PAGE,
      });
      for (const object of results) {
        const candidate = { objectId: String(object.objectId), flagged: object.duplicateOf != null };
        for (const name of new Set(names(object))) index.set(name, [...(index.get(name) ?? []), candidate]);
      }
      if (results.length < PAGE) break;
      after = String(results[results.length - 1].objectId);
    }
    this.loaded.set(target, index);
    return index;
  }
}
