import { Injectable, inject } from '@angular/core';
import Parse from 'parse';
import { AuthService } from '../auth/auth.service';
import { idOf, toContact } from '../core/mappers';
import { Contact, Ref } from '../core/models';
import { Suggestion } from '../shared/record-picker';
import { MAX_LIMIT, pointer, textSearch } from '../core/query-utils';
import { setOrUnset } from '../core/object-fields';
import { Page, PagedList, PageRequest } from '../shared/paged-list';
import { SaveOutcome } from '../sync/sync-state';
import { SyncService } from '../sync/sync.service';

export interface ContactInput {
  name: string;
  email: string;
  phone: string;
  company: Ref | null;
  notes: string;
}

const SEARCH_FIELDS = ['name', 'email'] as const;

@Injectable({ providedIn: 'root' })
export class ContactService {
  private readonly sync = inject(SyncService);
  private readonly objects = new Map<string, Parse.Object>();

  /** The Contacts screen's list: searched by name or email, sorted by a column. */
  readonly list = new PagedList<Contact>((request) => this.fetchPage(request), { field: 'name', direction: 'asc' });

  constructor() {
    this.sync.onReconnect(() => {
      if (this.list.status() !== 'idle') void this.list.reload();
    });
    inject(AuthService).onSignOut(() => {
      this.objects.clear();
      this.list.clear();
    });
  }

  async get(id: string): Promise<Contact> {
    return this.remember(await this.sync.get(new Parse.Query('Contact').include(['company', 'duplicateOf']), id));
  }

  async ofCompany(companyId: string): Promise<Contact[]> {
    const query = new Parse.Query('Contact').equalTo('company', pointer('Company', companyId)).ascending('name').limit(MAX_LIMIT);
    const { objects } = await this.sync.find(query, 'contacts');
    return objects.map((object) => this.remember(object));
  }

  /** For pickers: a handful of matches by name or email. */
  async suggest(term: string): Promise<Suggestion[]> {
    const query = textSearch('Contact', SEARCH_FIELDS, term).ascending('name').limit(8);
    const { objects } = await this.sync.find(query, 'contacts');
    return objects.map((object) => ({
      id: idOf(object),
      name: String(object.get('name') ?? ''),
      hint: object.get('email') as string | undefined,
    }));
  }

  async create(input: ContactInput): Promise<{ contact: Contact; outcome: SaveOutcome }> {
    const object = new Parse.Object('Contact');
    applyContactInput(object, input);
    const outcome = await this.sync.save(object);
    const contact = this.remember(object);
    this.list.upsert(contact);
    return { contact, outcome };
  }

  async update(id: string, input: ContactInput): Promise<{ contact: Contact; outcome: SaveOutcome }> {
    const object = this.objects.get(id) ?? (await this.sync.get(new Parse.Query('Contact'), id));
    applyContactInput(object, input);
    try {
      const outcome = await this.sync.save(object);
      const contact = this.remember(object);
      this.list.upsert(contact);
      return { contact, outcome };
    } catch (error) {
      object.revert();
      throw error;
    }
  }

  async remove(id: string): Promise<SaveOutcome> {
    const object = this.objects.get(id) ?? pointer('Contact', id);
    const outcome = await this.sync.destroy(object);
    this.objects.delete(id);
    this.list.remove(id);
    return outcome;
  }

  private async fetchPage({ term, sort, skip, limit }: PageRequest): Promise<Page<Contact>> {
    const build = () => textSearch('Contact', SEARCH_FIELDS, term);
    const query = build().include('company').skip(skip).limit(limit);
    if (sort.direction === 'asc') query.ascending(sort.field);
    else query.descending(sort.field);
    const counting =
      skip === 0 && this.sync.online()
        ? build()
            .count()
            .catch(() => null)
        : Promise.resolve(null);
    const { objects, source } = await this.sync.find(query, 'contacts');
    const total = source === 'server' ? await counting : null;
    return { items: objects.map((object) => this.remember(object)), total, source };
  }

  private remember(object: Parse.Object): Contact {
    this.objects.set(idOf(object), object);
    return toContact(object);
  }
}

export function applyContactInput(object: Parse.Object, input: ContactInput): void {
  object.set('name', input.name.trim());
  setOrUnset(object, 'email', input.email.trim().toLowerCase());
  setOrUnset(object, 'phone', input.phone.trim());
  setOrUnset(object, 'company', input.company && pointer('Company', input.company.id));
  setOrUnset(object, 'notes', input.notes.trim());
}
