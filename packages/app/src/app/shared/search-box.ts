import { ChangeDetectionStrategy, Component, DestroyRef, inject, input, output, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';

/** A search field that waits for a pause in typing before it asks the server. */
@Component({
  selector: 'crm-search-box',
  imports: [MatFormFieldModule, MatInputModule, MatIconModule, MatButtonModule],
  template: `
    <mat-form-field class="field">
      <mat-icon matPrefix aria-hidden="true">search</mat-icon>
      <mat-label>{{ label() }}</mat-label>
      <input matInput type="search" [value]="text()" (input)="type($any($event.target).value)" (keydown.escape)="clear()" />
      @if (text()) {
        <button mat-icon-button matSuffix type="button" (click)="clear()" aria-label="Clear search">
          <mat-icon>close</mat-icon>
        </button>
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
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SearchBox {
  readonly label = input('Search');
  readonly initial = input('');
  readonly delay = input(250);
  readonly search = output<string>();

  protected readonly text = signal('');
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  ngOnInit(): void {
    this.text.set(this.initial());
  }

  protected type(value: string): void {
    this.text.set(value);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.search.emit(value.trim()), this.delay());
  }

  protected clear(): void {
    clearTimeout(this.timer);
    this.text.set('');
    this.search.emit('');
  }
}
