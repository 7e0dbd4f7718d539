import { Injectable, inject, signal } from '@angular/core';
import Parse from 'parse';
import { AuthService } from '../auth/auth.service';
import { isConnectionError } from '../core/errors';
import { Ref } from '../core/models';

const CACHE_KEY = 'crm.team';

/** The team, for owner filters and pickers. Usernames are readable by every signed-in user. */
@Injectable({ providedIn: 'root' })
export class UserDirectoryService {
  private loading: Promise<void> | null = null;
  readonly users = signal<readonly Ref[]>(readCache());

  constructor() {
    inject(AuthService).onSignOut(() => {
      this.users.set([]);
      localStorage.removeItem(CACHE_KEY);
    });
  }

  load(): Promise<void> {
    this.loading ??= this.fetch().catch((error) => {
      this.loading = null;
      if (!isConnectionError(error)) console.warn('Could not load the team', error);
    });
    return this.loading;
  }

  async search(term: string): Promise<Ref[]> {
    await this.load();
    const needle = term.trim().toLowerCase();
    return this.users()
      .filter((user) => user.name.toLowerCase().includes(needle))
      .slice(0, 8);
  }

  private async fetch(): Promise<void> {
    const users = await new Parse.Query(Parse.User).select('username').ascending('username').limit(1000).find();
    const refs = users.map((user) => ({ id: user.id ?? '', name: user.getUsername() ?? '' }));
    this.users.set(refs);
    localStorage.setItem(CACHE_KEY, JSON.stringify(refs));
  }
}

function readCache(): Ref[] {
  try {
    const cached = JSON.parse(localStorage.getItem(CACHE_KEY) ?? '[]');
    return Array.isArray(cached) ? cached : [];
  } catch {
    return [];
  }
}
