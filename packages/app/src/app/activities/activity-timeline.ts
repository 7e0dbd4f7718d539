import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { describeError } from '../core/errors';
import { Activity, RelatedRef } from '../core/models';
import { confirm } from '../shared/confirm-dialog';
import { EmptyState } from '../shared/empty-state';
import { ActivityComposer } from './activity-composer';
import { ActivityItem } from './activity-item';
import { timelineOrder } from './activity-order';
import { ActivityService, RelatedKey } from './activity.service';

/** The history and open tasks of a record, with a composer when activities can be attached to it. */
@Component({
  selector: 'crm-activity-timeline',
  imports: [MatButtonModule, MatProgressBarModule, ActivityComposer, ActivityItem, EmptyState],
  template: `
    @if (logTarget(); as target) {
      <crm-activity-composer [related]="target" />
    }
    @if (loading()) {
      <mat-progress-bar mode="indeterminate" aria-label="Loading activities" />
    }
    @if (error(); as message) {
      <crm-empty-state icon="cloud_off" tone="error" title="Activities could not be loaded" [message]="message">
        <button mat-stroked-button (click)="load()">Try again</button>
      </crm-empty-state>
    } @else if (!loading() && items().length === 0) {
      <crm-empty-state icon="history" title="No activity yet" [message]="emptyMessage()" />
    } @else {
      <div class="list" role="list" aria-label="Activities" data-testid="timeline">
        @for (activity of items(); track activity.id) {
          <crm-activity-item
            role="listitem"
            [activity]="activity"
            [showRelated]="showRelated()"
            (toggle)="setDone(activity, $event)"
            (remove)="remove(activity)"
          />
        }
      </div>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ActivityTimeline {
  private readonly activities = inject(ActivityService);
  private readonly snackBar = inject(MatSnackBar);
  private readonly dialog = inject(MatDialog);

  /** Names this timeline in the store so it is reloaded after a reconnect. */
  readonly scope = input.required<string>();
  readonly related = input.required<RelatedKey[]>();
  readonly logTarget = input<RelatedRef | null>(null);
  readonly showRelated = input(false);

  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  private readonly ids = computed(() => new Set(this.related().map((key) => key.id)));
  protected readonly items = computed(() => {
    const ids = this.ids();
    return timelineOrder(this.activities.all().filter((activity) => activity.related && ids.has(activity.related.id)));
  });
  protected readonly emptyMessage = computed(() =>
    this.logTarget()
      ? 'Log a call, an email, a meeting or a note above.'
      : 'Activities logged on its contacts and deals show up here.',
  );

  constructor() {
    effect(() => {
      this.related();
      untracked(() => void this.load());
    });
    inject(DestroyRef).onDestroy(() => this.activities.forgetTimeline(this.scope()));
  }

  protected async load(): Promise<void> {
    if (this.related().length === 0) return;
    this.loading.set(true);
    this.error.set(null);
    try {
      await this.activities.loadFor(this.scope(), this.related());
    } catch (error) {
      this.error.set(describeError(error));
    } finally {
      this.loading.set(false);
    }
  }

  protected async setDone(activity: Activity, done: boolean): Promise<void> {
    try {
      await this.activities.setDone(activity.id, done);
    } catch (error) {
      this.snackBar.open(`Could not update “${activity.subject}”: ${describeError(error)}`, 'Dismiss');
    }
  }

  protected async remove(activity: Activity): Promise<void> {
    const ok = await confirm(this.dialog, {
      title: 'Delete this activity?',
      message: `“${activity.subject}” will be removed for everyone.`,
      confirm: 'Delete',
      danger: true,
    });
    if (!ok) return;
    try {
      await this.activities.remove(activity.id);
    } catch (error) {
      this.snackBar.open(`Could not delete: ${describeError(error)}`, 'Dismiss');
    }
  }
}
