import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { RouterLink } from '@angular/router';
import { Activity } from '../core/models';
import { AuthService } from '../auth/auth.service';
import { daysBetween, formatDateTime, formatDayInline } from '../shared/format';
import { ACTIVITY_TYPE_INFO } from './activity-types';

/** One activity as a row: type, subject, when, what it is about, and a done box for tasks. */
@Component({
  selector: 'crm-activity-item',
  imports: [RouterLink, MatCheckboxModule, MatIconModule, MatButtonModule, MatMenuModule],
  template: `
    <span class="type" [style.background]="info().tint" [style.color]="info().ink" aria-hidden="true">
      <mat-icon>{{ info().icon }}</mat-icon>
    </span>
    <div class="body">
      <div class="line">
        <span class="subject" [class.done]="activity().completedAt && activity().type !== 'note'">{{
          activity().subject || info().label
        }}</span>
        @if (activity().pending) {
          <span class="chip pending-chip"><mat-icon aria-hidden="true">cloud_upload</mat-icon>Waiting to sync</span>
        }
      </div>
      @if (activity().description) {
        <p class="description">{{ activity().description }}</p>
      }
      <div class="meta">
        <span>{{ info().label }}</span>
        @if (when(); as w) {
          <span [class.overdue]="w.overdue">{{ w.text }}</span>
        }
        @if (showRelated() && activity().related; as related) {
          <a [routerLink]="[related.className === 'Deal' ? '/deals' : '/contacts', related.id]">
            <mat-icon aria-hidden="true">{{ related.className === 'Deal' ? 'paid' : 'person' }}</mat-icon>{{
              related.name || related.className
            }}
          </a>
        }
        @if (author(); as name) {
          <span>by {{ name }}</span>
        }
      </div>
    </div>
    @if (activity().type !== 'note') {
      <mat-checkbox
        class="done-box"
        [checked]="!!activity().completedAt"
        (change)="toggle.emit($event.checked)"
        [aria-label]="(activity().completedAt ? 'Reopen ' : 'Mark done: ') + (activity().subject || info().label)"
      />
    }
    @if (removable()) {
      <button
        mat-icon-button
        class="menu"
        [matMenuTriggerFor]="menu"
        [attr.aria-label]="'More actions for ' + activity().subject"
      >
        <mat-icon>more_vert</mat-icon>
      </button>
      <mat-menu #menu="matMenu">
        <button mat-menu-item (click)="remove.emit()"><mat-icon>delete</mat-icon>Delete</button>
      </mat-menu>
    }
  `,
  styleUrl: './activity-item.scss',
  host: { '[class.completed]': '!!activity().completedAt' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ActivityItem {
  readonly activity = input.required<Activity>();
  readonly showRelated = input(false);
  readonly removable = input(true);
  readonly toggle = output<boolean>();
  readonly remove = output<void>();

  private readonly me = inject(AuthService).user;
  protected readonly info = computed(() => ACTIVITY_TYPE_INFO[this.activity().type]);
  /** Only a teammate's name: "by me" on every row of my own list is noise. */
  protected readonly author = computed(() => {
    const author = this.activity().createdBy;
    return author && author.id !== this.me()?.id ? author.name || 'a teammate' : null;
  });
  protected readonly when = computed(() => {
    const { completedAt, dueDate, createdAt, type } = this.activity();
    if (completedAt && type !== 'note') return { text: `Done ${formatDateTime(completedAt)}`, overdue: false };
    if (dueDate && !completedAt)
      return { text: `Due ${formatDayInline(dueDate)}`, overdue: daysBetween(new Date(), dueDate) < 0 };
    const at = completedAt ?? createdAt;
    return at ? { text: formatDateTime(at), overdue: false } : null;
  });
}
