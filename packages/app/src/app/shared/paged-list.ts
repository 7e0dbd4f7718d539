import { WritableSignal, computed, signal } from '@angular/core';
import { describeError } from '../core/errors';
import { DataSource, LoadState } from '../core/models';

export interface SortState {
  field: string;
  direction: 'asc' | 'desc';
}

export interface PageRequest {
  term: string;
  sort: SortState;
  skip: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** null when unknown (offline: the device copy cannot be counted reliably). */
  total: number | null;
  source: DataSource;
}

/**
 * A searchable, sortable list loaded page by page, for lists too long to load whole (contacts, companies).
 * Only the latest request may write its answer: typing fast must not let a slow older search win.
 */
export class PagedList<T extends { id: string }> {
  readonly items = signal<readonly T[]>([]);
  readonly total = signal<number | null>(null);
  readonly status = signal<LoadState>('idle');
  readonly loadingMore = signal(false);
  readonly error = signal<string | null>(null);
  readonly source = signal<DataSource>('server');
  readonly term = signal('');
  readonly sort: WritableSignal<SortState>;
  private readonly lastPageFull = signal(false);
  private request = 0;

  readonly hasMore = computed(() => {
    const total = this.total();
    return total === null ? this.lastPageFull() : this.items().length < total;
  });

  constructor(
    private readonly fetchPage: (request: PageRequest) => Promise<Page<T>>,
    initialSort: SortState,
    private readonly pageSize = 50,
  ) {
    this.sort = signal(initialSort);
  }

  load(): Promise<void> {
    return this.status() === 'idle' ? this.reload() : Promise.resolve();
  }

  search(term: string): Promise<void> {
    if (term === this.term() && this.status() !== 'idle') return Promise.resolve();
    this.term.set(term);
    return this.reload();
  }

  sortBy(sort: SortState): Promise<void> {
    this.sort.set(sort);
    return this.reload();
  }

  async reload(): Promise<void> {
    const request = ++this.request;
    this.status.set('loading');
    this.error.set(null);
    try {
      const page = await this.fetchPage({ term: this.term(), sort: this.sort(), skip: 0, limit: this.pageSize });
      if (request !== this.request) return;
      this.items.set(page.items);
      this.total.set(page.total);
      this.source.set(page.source);
      this.lastPageFull.set(page.items.length === this.pageSize);
      this.status.set('ready');
    } catch (error) {
      if (request !== this.request) return;
      this.error.set(describeError(error));
      this.status.set('error');
    }
  }

  async loadMore(): Promise<void> {
    if (this.loadingMore() || !this.hasMore()) return;
    const request = this.request;
    this.loadingMore.set(true);
    try {
      const page = await this.fetchPage({
        term: this.term(),
        sort: this.sort(),
        skip: this.items().length,
        limit: this.pageSize,
      });
      if (request !== this.request) return;
      const known = new Set(this.items().map((item) => item.id));
      this.items.update((items) => [...items, ...page.items.filter((item) => !known.has(item.id))]);
      this.lastPageFull.set(page.items.length === this.pageSize);
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.loadingMore.set(false);
    }
  }

  /** Local edits show at once, without reloading the page the user scrolled to. */
  upsert(item: T): void {
    const exists = this.items().some((existing) => existing.id === item.id);
    this.items.update((items) =>
      exists ? items.map((existing) => (existing.id === item.id ? item : existing)) : [item, ...items],
    );
    if (!exists) this.total.update((total) => (total === null ? null : total + 1));
  }

  remove(id: string): void {
    const before = this.items().length;
    this.items.update((items) => items.filter((item) => item.id !== id));
    if (this.items().length < before) this.total.update((total) => (total === null ? null : Math.max(0, total - 1)));
  }

  clear(): void {
    this.request++;
    this.items.set([]);
    this.total.set(null);
    this.term.set('');
    this.status.set('idle');
    this.error.set(null);
  }
}
