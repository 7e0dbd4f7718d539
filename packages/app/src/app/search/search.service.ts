import { Injectable } from '@angular/core';
import Parse from 'parse';

export type SearchClass = 'Contact' | 'Company' | 'Deal';

/** One hit as the server's `search` function answers it (its `object` is not needed for the list). */
export interface SearchHit {
  className: string;
  objectId: string;
  title: string;
  subtitle?: string;
  score: number;
}

export interface SearchResult {
  className: SearchClass;
  id: string;
  title: string;
  subtitle?: string;
  /** Router commands of the record's page. */
  link: string[];
}

export interface SearchGroup {
  className: SearchClass;
  label: string;
  icon: string;
  results: SearchResult[];
}

const GROUPS: Record<SearchClass, { label: string; icon: string; path: string }> = {
  Contact: { label: 'Contacts', icon: 'person', path: '/contacts' },
  Company: { label: 'Companies', icon: 'domain', path: '/companies' },
  Deal: { label: 'Deals', icon: 'handshake', path: '/deals' },
};

const isSearchClass = (name: string): name is SearchClass => Object.hasOwn(GROUPS, name);

/**
 * Ranked hits → one group per class, the group holding the best hit first; hits keep their rank inside
 * their group. Classes the app has no page for are left out.
 */
export function groupHits(hits: readonly SearchHit[]): SearchGroup[] {
  const groups = new Map<SearchClass, SearchGroup>();
  for (const hit of hits) {
    if (!isSearchClass(hit.className)) continue;
    const { label, icon, path } = GROUPS[hit.className];
    let group = groups.get(hit.className);
    if (!group) {
      group = { className: hit.className, label, icon, results: [] };
      groups.set(hit.className, group);
    }
    group.results.push({
      className: hit.className,
      id: hit.objectId,
      title: hit.title || '(untitled)',
      subtitle: hit.subtitle,
      link: [path, hit.objectId],
    });
  }
  return [...groups.values()];
}

/** The header's search: the server ranks and filters by what the user may read; this only groups. */
@Injectable({ providedIn: 'root' })
export class SearchService {
  async search(q: string, limit = 15): Promise<SearchGroup[]> {
    const hits = (await Parse.Cloud.run('search', { q, limit })) as SearchHit[];
    return groupHits(hits);
  }
}
