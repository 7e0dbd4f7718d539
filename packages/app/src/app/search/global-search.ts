import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { MatAutocompleteModule, MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Router } from '@angular/router';
import { SearchGroup, SearchResult, SearchService } from './search.service';

const DEBOUNCE_MS = 250;
/** The server refuses longer queries (102); the box does not let them be typed. */
const MAX_LENGTH = 200;

/**
 * The header's search box: contacts, companies and deals in one dropdown, grouped by kind, each result
 * opening its page. Asks the server after a pause in typing; an answer to an older text is dropped.
 */
@Component({
  selector: 'crm-global-search',
  imports: [MatAutocompleteModule, MatIconModule, MatProgressSpinnerModule],
  template: `
    <div class="box" matAutocompleteOrigin #origin="matAutocompleteOrigin">
      <mat-icon class="icon" aria-hidden="true">search</mat-icon>
      <input
        type="search"
        class="input"
        placeholder="Search contacts, companies, deals"
        aria-label="Search contacts, companies and deals"
        data-testid="global-search"
        [attr.maxlength]="maxLength"
        [value]="text()"
        [matAutocomplete]="auto"
        [matAutocompleteConnectedTo]="origin"
        (input)="type($any($event.target).value)"
        (keydown.escape)="clear()"
      />
      @if (searching()) {
        <mat-spinner diameter="16" aria-label="Searching" />
      }
    </div>
    <mat-autocomplete
      #auto="matAutocomplete"
      class="global-search-panel"
      [hideSingleSelectionIndicator]="true"
      [displayWith]="keepText"
      (optionSelected)="open($event)"
    >
      @for (group of groups(); track group.className) {
        <mat-optgroup [label]="group.label">
          @for (result of group.results; track result.id) {
            <mat-option [value]="result" [attr.data-testid]="'search-result-' + result.id">
              <mat-icon aria-hidden="true">{{ group.icon }}</mat-icon>
              <span class="title">{{ result.title }}</span>
              @if (result.subtitle) {
                <span class="subtitle">{{ result.subtitle }}</span>
              }
            </mat-option>
          }
        </mat-optgroup>
      } @empty {
        @if (message(); as text) {
          <mat-option disabled>{{ text }}</mat-option>
        }
      }
    </mat-autocomplete>
  `,
  styles: `
    :host {
      display: block;
      flex: 0 1 420px;
      min-width: 0;
    }
    .box {
      display: flex;
      align-items: center;
      gap: 8px;
      height: 40px;
      padding: 0 12px;
      border-radius: 20px;
      background: #f2f4f7;
      border: 1px solid transparent;
      &:focus-within {
        background: #fff;
        border-color: var(--crm-accent, #3f51b5);
      }
    }
    .icon {
      color: var(--crm-muted);
      flex: none;
    }
    .input {
      flex: 1;
      min-width: 0;
      border: 0;
      outline: 0;
      background: transparent;
      font: inherit;
      font-size: 14px;
      color: inherit;
    }
    .title {
      font-weight: 500;
    }
    .subtitle {
      margin-left: 8px;
      color: var(--crm-muted);
      font-size: 12.5px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class GlobalSearch {
  private readonly searchService = inject(SearchService);
  private readonly router = inject(Router);

  protected readonly maxLength = MAX_LENGTH;
  protected readonly text = signal('');
  protected readonly groups = signal<SearchGroup[]>([]);
  protected readonly searching = signal(false);
  /** Shown when there is nothing to list: no match, or the search failed. */
  protected readonly message = signal<string | null>(null);
  /** Selecting a result navigates away; the box keeps whatever was typed until then. */
  protected readonly keepText = (): string => this.text();

  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest = 0;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  protected type(value: string): void {
    this.text.set(value);
    clearTimeout(this.timer);
    const q = value.trim();
    if (!q) {
      this.reset();
      return;
    }
    this.timer = setTimeout(() => void this.run(q), DEBOUNCE_MS);
  }

  protected open(event: MatAutocompleteSelectedEvent): void {
    const result = event.option.value as SearchResult;
    this.clear();
    void this.router.navigate(result.link);
  }

  protected clear(): void {
    clearTimeout(this.timer);
    this.text.set('');
    this.reset();
  }

  private reset(): void {
    this.latest++;
    this.groups.set([]);
    this.message.set(null);
    this.searching.set(false);
  }

  private async run(q: string): Promise<void> {
    const ticket = ++this.latest;
    this.searching.set(true);
    try {
      const groups = await this.searchService.search(q);
      if (ticket !== this.latest) return;
      this.groups.set(groups);
      this.message.set(groups.length ? null : `No match for “${q}”`);
    } catch {
      if (ticket !== this.latest) return;
      this.groups.set([]);
      this.message.set(navigator.onLine ? 'Search failed — try again' : 'Search needs a connection');
    } finally {
      if (ticket === this.latest) this.searching.set(false);
    }
  }
}
