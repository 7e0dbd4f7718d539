import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatMenuModule } from '@angular/material/menu';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSnackBar } from '@angular/material/snack-bar';
import { Router, RouterLink } from '@angular/router';
import { ActivityTimeline } from '../../activities/activity-timeline';
import { describeError } from '../../core/errors';
import { Deal, Stage } from '../../core/models';
import { STAGE_INFO } from '../../core/stages';
import { confirm } from '../../shared/confirm-dialog';
import { EmptyState } from '../../shared/empty-state';
import { formatLongDate, formatMoney } from '../../shared/format';
import { DealService } from '../deal.service';
import { DealFields } from '../deal-fields';
import { createDealForm, dealFormValue } from '../deal-form';
import { StageBar } from './stage-bar';
import { StageHistory } from './stage-history';

@Component({
  selector: 'crm-deal-detail-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatIconModule,
    MatMenuModule,
    MatProgressBarModule,
    DealFields,
    ActivityTimeline,
    EmptyState,
    StageBar,
    StageHistory,
  ],
  templateUrl: './deal-detail-page.html',
  styleUrl: './deal-detail-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DealDetailPage {
  private readonly deals = inject(DealService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly router = inject(Router);

  readonly id = input.required<string>();

  protected readonly loadError = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly deal = computed(() => this.deals.byId().get(this.id()));
  protected readonly form = createDealForm(inject(NonNullableFormBuilder));
  protected readonly info = STAGE_INFO;
  protected readonly amount = computed(() => formatMoney(this.deal()?.amount));
  protected readonly closeDate = computed(() => formatLongDate(this.deal()?.expectedCloseDate));
  protected readonly related = computed(() => [{ className: 'Deal' as const, id: this.id() }]);
  protected readonly logTarget = computed(() => {
    const deal = this.deal();
    return deal && !deal.pending ? { className: 'Deal' as const, id: deal.id, name: deal.title } : null;
  });
  private shownVersion: Deal | undefined;

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.ensureLoaded(id));
    });
    // Show the latest values, including a teammate's live edits, unless the user is in the middle of editing.
    effect(() => {
      const deal = this.deal();
      if (!deal || deal === this.shownVersion) return;
      untracked(() => {
        if (this.form.dirty && this.shownVersion?.id === deal.id) return;
        this.shownVersion = deal;
        this.form.reset(deal);
      });
    });
  }

  protected async save(): Promise<void> {
    const deal = this.deal();
    if (!deal) return;
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    try {
      const outcome = await this.deals.update(deal.id, dealFormValue(this.form));
      this.form.markAsPristine();
      this.shownVersion = undefined;
      this.form.reset(this.deal());
      this.snackBar.open(
        outcome === 'queued' ? 'Saved on this device; it will sync when you are back online.' : 'Deal saved',
        undefined,
        { duration: 3000 },
      );
    } catch (error) {
      this.snackBar.open(`Could not save the deal: ${describeError(error)}`, 'Dismiss');
    } finally {
      this.saving.set(false);
    }
  }

  protected discard(): void {
    this.shownVersion = this.deal();
    if (this.shownVersion) this.form.reset(this.shownVersion);
  }

  protected async moveTo(stage: Stage): Promise<void> {
    const deal = this.deal();
    if (!deal) return;
    try {
      await this.deals.moveStage(deal.id, stage);
    } catch (error) {
      this.snackBar.open(`Could not move the deal: ${describeError(error)}`, 'Dismiss');
    }
  }

  protected async remove(): Promise<void> {
    const deal = this.deal();
    if (!deal) return;
    const ok = await confirm(this.dialog, {
      title: `Delete “${deal.title}”?`,
      message: 'The deal is removed for everyone. Its activities stay on the contact.',
      confirm: 'Delete deal',
      danger: true,
    });
    if (!ok) return;
    try {
      await this.deals.remove(deal.id);
      this.snackBar.open('Deal deleted', undefined, { duration: 3000 });
      await this.router.navigate(['/pipeline']);
    } catch (error) {
      this.snackBar.open(`Could not delete the deal: ${describeError(error)}`, 'Dismiss');
    }
  }

  private async ensureLoaded(id: string): Promise<void> {
    this.loadError.set(null);
    await this.deals.load();
    if (this.deals.byId().has(id)) return;
    try {
      await this.deals.get(id);
    } catch (error) {
      this.loadError.set(describeError(error));
    }
  }
}
