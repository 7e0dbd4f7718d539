import { ChangeDetectionStrategy, Component, forwardRef, input, signal } from '@angular/core';
import { ControlValueAccessor, NG_VALUE_ACCESSOR } from '@angular/forms';
import { MatAutocompleteModule, MatAutocompleteSelectedEvent } from '@angular/material/autocomplete';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressSpinnerModule } from '@angular/material/progress-spinner';
import { Ref } from '../core/models';

/** A match to choose from; `hint` (an email, say) tells namesakes apart in the list but is not part of the value. */
export interface Suggestion extends Ref {
  hint?: string;
}

export type RecordSearch = (term: string) => Promise<Suggestion[]>;

const DEBOUNCE_MS = 200;

/**
 * A form control that picks one record (company, contact, owner) by typing part of its name. Its value is a
 * `Ref` or null; the text box only ever shows the chosen record's name.
 */
@Component({
  selector: 'crm-record-picker',
  imports: [MatAutocompleteModule, MatFormFieldModule, MatInputModule, MatIconModule, MatButtonModule, MatProgressSpinnerModule],
  providers: [{ provide: NG_VALUE_ACCESSOR, useExisting: forwardRef(() => RecordPicker), multi: true }],
  template: `
    <mat-form-field class="field">
      <mat-label>{{ label() }}</mat-label>
      @if (icon()) {
        <mat-icon matPrefix aria-hidden="true">{{ icon() }}</mat-icon>
      }
      <input
        matInput
        [value]="text()"
        [placeholder]="placeholder()"
        [matAutocomplete]="auto"
        [disabled]="disabled()"
        (input)="onType($any($event.target).value)"
        (focus)="onFocus()"
        (blur)="onBlur()"
      />
      @if (searching()) {
        <mat-spinner matSuffix diameter="18" aria-label="Searching" />
      } @else if (value() && !disabled()) {
        <button mat-icon-button matSuffix type="button" (click)="clear()" [attr.aria-label]="'Clear ' + label()">
          <mat-icon>close</mat-icon>
        </button>
      }
      <mat-autocomplete
        #auto="matAutocomplete"
        (optionSelected)="pick($event)"
        [displayWith]="displayName"
        [hideSingleSelectionIndicator]="true"
      >
        @for (option of options(); track option.id) {
          <mat-option [value]="option">
            {{ option.name }}
            @if (option.hint) {
              <span class="hint">{{ option.hint }}</span>
            }
          </mat-option>
        } @empty {
          @if (searched() && !searching()) {
            <mat-option disabled>No match for “{{ text() }}”</mat-option>
          }
        }
      </mat-autocomplete>
      @if (hint()) {
        <mat-hint>{{ hint() }}</mat-hint>
      }
    </mat-form-field>
  `,
  styles: `
    :host {
      display: block;
    }
    .field {
      width: 100%;
    }
    .hint {
      margin-left: 8px;
      color: var(--crm-muted);
      font-size: 12.5px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RecordPicker implements ControlValueAccessor {
  readonly label = input.required<string>();
  readonly search = input.required<RecordSearch>();
  readonly placeholder = input('Type to search');
  readonly icon = input<string>();
  readonly hint = input<string>();

  protected readonly value = signal<Ref | null>(null);
  protected readonly text = signal('');
  protected readonly options = signal<Suggestion[]>([]);
  protected readonly searching = signal(false);
  protected readonly searched = signal(false);
  protected readonly disabled = signal(false);

  protected readonly displayName = (ref: Ref | null): string => ref?.name ?? '';

  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest = 0;
  private onChange: (value: Ref | null) => void = () => {};
  private onTouched: () => void = () => {};

  writeValue(value: Ref | null): void {
    this.value.set(value ?? null);
    this.text.set(value?.name ?? '');
  }
  registerOnChange(fn: (value: Ref | null) => void): void {
    this.onChange = fn;
  }
  registerOnTouched(fn: () => void): void {
    this.onTouched = fn;
  }
  setDisabledState(disabled: boolean): void {
    this.disabled.set(disabled);
  }

  protected onType(text: string): void {
    this.text.set(text);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.runSearch(text), DEBOUNCE_MS);
  }

  protected onFocus(): void {
    if (!this.searched()) void this.runSearch(this.value() ? '' : this.text());
  }

  protected onBlur(): void {
    this.onTouched();
    // Leaving the box with half-typed text keeps the previous choice; leaving it empty clears the choice.
    setTimeout(() => {
      if (this.text().trim() === '') {
        if (this.value()) this.commit(null);
      } else {
        this.text.set(this.value()?.name ?? '');
      }
    }, DEBOUNCE_MS);
  }

  protected pick(event: MatAutocompleteSelectedEvent): void {
    const { id, name } = event.option.value as Suggestion;
    this.commit({ id, name });
  }

  protected clear(): void {
    this.commit(null);
    this.searched.set(false);
  }

  private commit(value: Ref | null): void {
    this.value.set(value);
    this.text.set(value?.name ?? '');
    this.onChange(value);
  }

  private async runSearch(term: string): Promise<void> {
    const run = ++this.latest;
    this.searching.set(true);
    try {
      const found = await this.search()(term.trim());
      if (run === this.latest) this.options.set(found);
    } catch {
      if (run === this.latest) this.options.set([]);
    } finally {
      if (run === this.latest) {
        this.searching.set(false);
        this.searched.set(true);
      }
    }
  }
}
