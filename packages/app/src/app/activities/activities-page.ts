import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { AuthService } from '../auth/auth.service';
import { describeError } from '../core/errors';
import { ACTIVITY_TYPES, Activity, ActivityType } from '../core/models';
import { EmptyState } from '../shared/empty-state';
import { ActivityItem } from './activity-item';
import { groupOpenActivities } from './activity-order';
import { ActivityService } from './activity.service';
import { ACTIVITY_TYPE_INFO } from './activity-types';

@Component({
  selector: 'crm-activities-page',
  imports: [RouterLink, MatButtonModule, MatChipsModule, MatIconModule, MatProgressBarModule, ActivityItem, EmptyState],
  templateUrl: './activities-page.html',
  styleUrl: './activities-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ActivitiesPage {
  protected readonly activities = inject(ActivityService);
  private readonly auth = inject(AuthService);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly types = ACTIVITY_TYPES;
  protected readonly typeInfo = ACTIVITY_TYPE_INFO;
  /** Empty means every type. */
  protected readonly selectedTypes = signal<ActivityType[]>([]);
  /** Ticked items stay in place until the next visit, so a mis-click can be undone where it happened. */
  private readonly ticked = signal<ReadonlySet<string>>(new Set());

  protected readonly groups = computed(() => {
    const me = this.auth.user()?.id;
    const types = this.selectedTypes();
    const ticked = this.ticked();
    const mine = this.activities
      .all()
      .filter((activity) => (activity.createdBy?.id ?? me) === me && (types.length === 0 || types.includes(activity.type)));
    return groupOpenActivities(mine, new Date(), (activity) => !activity.completedAt || ticked.has(activity.id));
  });
  protected readonly openCount = computed(() => this.activities.myOpen().length);
  protected readonly overdueCount = computed(() => this.groups().find((group) => group.bucket === 'overdue')?.items.length ?? 0);

  constructor() {
    void this.activities.loadMine();
  }

  protected toggleType(type: ActivityType): void {
    this.selectedTypes.update((types) => (types.includes(type) ? types.filter((t) => t !== type) : [...types, type]));
  }

  protected async setDone(activity: Activity, done: boolean): Promise<void> {
    this.ticked.update((ids) => new Set(ids).add(activity.id));
    try {
      await this.activities.setDone(activity.id, done);
    } catch (error) {
      this.snackBar.open(`Could not update “${activity.subject}”: ${describeError(error)}`, 'Dismiss');
    }
  }

  protected async remove(activity: Activity): Promise<void> {
    try {
      await this.activities.remove(activity.id);
    } catch (error) {
      this.snackBar.open(`Could not delete: ${describeError(error)}`, 'Dismiss');
    }
  }
}
