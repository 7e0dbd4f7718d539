import { Injectable, inject } from '@angular/core';
import Parse from 'parse';
import { AuthService } from '../auth/auth.service';
import { idOf, toCompany } from '../core/mappers';
import { Company, Ref } from '../core/models';
import { pointer, textSearch } from '../core/query-utils';
import { setOrUnset } from '../core/object-fields';
import { Page, PagedList, PageRequest } from '../shared/paged-list';
import { SaveOutcome } from '../sync/sync-state';
import { SyncService } from '../sync/sync.service';

export interface CompanyInput {
  name: string;
  website: string;
  industry: string;
  address: string;
  notes: string;
}

const SEARCH_FIELDS = ['name', 'industry', 'website'] as const;

@Injectable({ providedIn: 'root' })
export class CompanyService {
  private readonly sync = inject(SyncService);
  private readonly objects = new Map<string, Parse.Object>();

  readonly list = new PagedList<Company>((request) => this.fetchPage(request), { field: 'name', direction: 'asc' });

  constructor() {
    this.sync.onReconnect(() => {
      if (this.list.status() !== 'idle') void this.list.reload();
    });
    inject(AuthService).onSignOut(() => {
      this.objects.clear();
      this.list.clear();
    });
  }

  async get(id: string): Promise<Company> {
    return this.remember(await this.sync.get(new Parse.Query('Company'), id));
  }

  async suggest(term: string): Promise<Ref[]> {
    const query = textSearch('Company', ['name'], term).ascending('name').limit(8);
    const { objects } = await this.sync.find(query, 'companies');
    return objects.map((object) => ({ id: idOf(object), name: String(object.get('name') ?? '') }));
  }

  async create(input: CompanyInput): Promise<{ company: Company; outcome: SaveOutcome }> {
    const object = new Parse.Object('Company');
    applyCompanyInput(object, input);
    const outcome = await this.sync.save(object);
    const company = this.remember(object);
    this.list.upsert(company);
    return { company, outcome };
  }

  async update(id: string, input: CompanyInput): Promise<{ company: Company; outcome: SaveOutcome }> {
    const object = this.objects.get(id) ?? (await this.sync.get(new Parse.Query('Company'), id));
    applyCompanyInput(object, input);
    try {
      const outcome = await this.sync.save(object);
      const company = this.remember(object);
      this.list.upsert(company);
      return { company, outcome };
    } catch (error) {
      object.revert();
      throw error;
    }
  }

  async remove(id: string): Promise<SaveOutcome> {
    const outcome = await this.sync.destroy(this.objects.get(id) ?? pointer('Company', id));
    this.objects.delete(id);
    this.list.remove(id);
    return outcome;
  }

  private async fetchPage({ term, sort, skip, limit }: PageRequest): Promise<Page<Company>> {
    const build = () => textSearch('Company', SEARCH_FIELDS, term);
    const query = build().skip(skip).limit(limit);
    if (sort.direction === 'asc') query.ascending(sort.field);
    else query.descending(sort.field);
    const counting =
      skip === 0 && this.sync.online()
        ? build()
            .count()
            .catch(() => null)
        : Promise.resolve(null);
    const { objects, source } = await this.sync.find(query, 'companies');
    const total = source === 'server' ? await counting : null;
    return { items: objects.map((object) => this.remember(object)), total, source };
  }

  private remember(object: Parse.Object): Company {
    this.objects.set(idOf(object), object);
    return toCompany(object);
  }
}

export function applyCompanyInput(object: Parse.Object, input: CompanyInput): void {
  object.set('name', input.name.trim());
  setOrUnset(object, 'website', normalizeWebsite(input.website));
  setOrUnset(object, 'industry', input.industry.trim());
  setOrUnset(object, 'address', input.address.trim());
  setOrUnset(object, 'notes', input.notes.trim());
}

/** "acme.com" and "https://acme.com/" are stored the same way, so links work and duplicates are visible. */
export function normalizeWebsite(value: string): string {
  const trimmed = value.trim();
  if (!trimmed) return '';
  const withScheme = /^https?:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  return withScheme.replace(/\/+$/, '');
}
