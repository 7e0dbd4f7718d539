import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { RouterLink } from '@angular/router';
import { ActivityItem } from '../activities/activity-item';
import { groupOpenActivities } from '../activities/activity-order';
import { ActivityService } from '../activities/activity.service';
import { AuthService } from '../auth/auth.service';
import { describeError } from '../core/errors';
import { Activity } from '../core/models';
import { STAGE_INFO } from '../core/stages';
import { DealService } from '../deals/deal.service';
import { EmptyState } from '../shared/empty-state';
import { daysBetween, formatCompactMoney, formatDay, formatMoney, plural } from '../shared/format';
import { dashboardStats } from './dashboard-stats';
import { ForecastPanel } from '../forecast/forecast-panel';

@Component({
  selector: 'crm-dashboard-page',
  imports: [RouterLink, MatButtonModule, MatIconModule, MatProgressBarModule, ActivityItem, EmptyState, ForecastPanel],
  templateUrl: './dashboard-page.html',
  styleUrl: './dashboard-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DashboardPage {
  protected readonly deals = inject(DealService);
  protected readonly activities = inject(ActivityService);
  protected readonly auth = inject(AuthService);
  private readonly snackBar = inject(MatSnackBar);

  protected readonly stats = computed(() => dashboardStats(this.deals.deals(), new Date()));
  protected readonly nextActivities = computed(() =>
    groupOpenActivities(this.activities.myOpen(), new Date())
      .flatMap((group) => group.items)
      .slice(0, 6),
  );
  protected readonly closingSoon = computed(() => {
    const now = new Date();
    return this.deals
      .deals()
      .filter((deal) => STAGE_INFO[deal.stage].open && deal.expectedCloseDate && daysBetween(now, deal.expectedCloseDate) <= 30)
      .sort((a, b) => a.expectedCloseDate!.getTime() - b.expectedCloseDate!.getTime())
      .slice(0, 6)
      .map((deal) => ({ ...deal, when: formatDay(deal.expectedCloseDate), late: daysBetween(now, deal.expectedCloseDate!) < 0 }));
  });
  protected readonly greeting = computed(() => {
    const hour = new Date().getHours();
    const part = hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
    return `${part}, ${this.auth.user()?.username ?? ''}`;
  });
  protected readonly money = formatMoney;
  protected readonly plural = plural;
  protected readonly compact = formatCompactMoney;
  protected readonly info = STAGE_INFO;

  constructor() {
    void this.deals.load();
    void this.activities.loadMine();
  }

  protected percent(rate: number | null): string {
    return rate === null ? '—' : `${Math.round(rate * 100)}%`;
  }

  protected async setDone(activity: Activity, done: boolean): Promise<void> {
    try {
      await this.activities.setDone(activity.id, done);
    } catch (error) {
      this.snackBar.open(`Could not update “${activity.subject}”: ${describeError(error)}`, 'Dismiss');
    }
  }
}
