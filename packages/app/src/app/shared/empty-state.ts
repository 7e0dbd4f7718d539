import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

/** The one look for "nothing here yet", "nothing matches" and "could not load": icon, sentence, optional action. */
@Component({
  selector: 'crm-empty-state',
  imports: [MatIconModule],
  template: `
    <mat-icon aria-hidden="true">{{ icon() }}</mat-icon>
    <h3>{{ title() }}</h3>
    @if (message()) {
      <p>{{ message() }}</p>
    }
    <ng-content />
  `,
  host: { '[class.error]': 'tone() === "error"', '[attr.role]': 'tone() === "error" ? "alert" : null' },
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      align-items: center;
      text-align: center;
      gap: 6px;
      padding: 40px 16px;
      color: var(--crm-muted);
    }
    mat-icon {
      width: 44px;
      height: 44px;
      font-size: 44px;
      color: #a3aab8;
      margin-bottom: 4px;
    }
    :host(.error) mat-icon {
      color: #dc2626;
    }
    h3 {
      margin: 0;
      font-size: 16px;
      font-weight: 600;
      color: var(--crm-text);
    }
    p {
      margin: 0 0 8px;
      max-width: 44ch;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmptyState {
  readonly icon = input('inbox');
  readonly title = input.required<string>();
  readonly message = input<string>();
  readonly tone = input<'neutral' | 'error'>('neutral');
}
