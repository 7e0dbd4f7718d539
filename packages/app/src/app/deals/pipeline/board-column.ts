import { CdkDrag, CdkDragDrop, CdkDragPlaceholder, CdkDropList } from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Deal, Stage } from '../../core/models';
import { formatCompactMoney } from '../../shared/format';
import { BoardColumn } from './board-view';
import { DealCard } from './deal-card';

export interface MoveRequest {
  deal: Deal;
  to: Stage;
  /** Where it was dropped, counted in the target column without the deal; absent for the card menu's "Move to". */
  index?: number;
}

/** Touch: hold briefly to pick a card up, so that swiping to scroll the board never drags a deal. */
const DRAG_DELAY = { touch: 300, mouse: 0 };

@Component({
  selector: 'crm-board-column',
  imports: [CdkDropList, CdkDrag, CdkDragPlaceholder, MatButtonModule, MatIconModule, MatTooltipModule, DealCard],
  template: `
    <header [style.--stage-color]="column().info.color">
      <div class="title-row">
        <h2 [id]="headingId()">
          {{ column().info.label }}
          <span class="count" [attr.aria-label]="column().deals.length + ' deals'">{{ column().deals.length }}</span>
        </h2>
        <button
          mat-icon-button
          class="fold"
          data-testid="fold-toggle"
          [attr.aria-expanded]="!folded()"
          [attr.aria-label]="(folded() ? 'Show ' : 'Hide ') + column().info.label + ' deals'"
          (click)="toggleFold.emit()"
        >
          <mat-icon>{{ folded() ? 'unfold_more' : 'unfold_less' }}</mat-icon>
        </button>
      </div>
      <div class="amounts">
        <span class="total" [attr.aria-label]="'Total ' + total()">{{ total() }}</span>
        @if (!folded()) {
          <span
            class="weighted"
            data-testid="column-weighted"
            matTooltip="Weighted by win probability"
            [attr.aria-label]="'Weighted ' + weighted()"
            >{{ weighted() }} weighted</span
          >
        }
      </div>
    </header>
    <div
      class="cards"
      role="list"
      [class.folded]="folded()"
      [attr.aria-labelledby]="headingId()"
      cdkDropList
      [cdkDropListData]="column().stage"
      (cdkDropListDropped)="dropped($event)"
      [attr.data-stage]="column().stage"
    >
      @if (folded()) {
        <p class="empty folded-note">Drop here to mark {{ column().info.label.toLowerCase() }}</p>
      } @else {
        @for (deal of visible(); track deal.id) {
          <crm-deal-card
            role="listitem"
            cdkDrag
            [cdkDragData]="deal"
            [cdkDragStartDelay]="dragDelay"
            [deal]="deal"
            [stale]="column().stale.has(deal.id)"
            [attr.data-deal-id]="deal.id"
            (move)="move.emit({ deal, to: $event })"
          >
            <div class="placeholder" *cdkDragPlaceholder></div>
          </crm-deal-card>
        } @empty {
          <p class="empty">No deals</p>
        }
        @if (hidden() > 0) {
          <button mat-button class="show-more" (click)="showMore.emit()">Show {{ nextPage() }} more of {{ hidden() }}</button>
        }
      }
    </div>
  `,
  styleUrl: './board-column.scss',
  host: { '[class.is-folded]': 'folded()' },
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BoardColumnView {
  readonly column = input.required<BoardColumn>();
  /** Cards rendered; the rest wait behind "show more" so a column of thousands stays light. */
  readonly limit = input.required<number>();
  readonly pageSize = input(30);
  /** Collapsed: header only, still a drop target (won/lost by default, from the stage configuration). */
  readonly folded = input(false);
  /** Cards may be reordered within the column (the board is in manual order). */
  readonly reorderable = input(false);
  readonly move = output<MoveRequest>();
  readonly showMore = output<void>();
  readonly toggleFold = output<void>();

  protected readonly dragDelay = DRAG_DELAY;
  protected readonly headingId = computed(() => `stage-${this.column().stage}`);
  protected readonly total = computed(() => formatCompactMoney(this.column().total));
  protected readonly weighted = computed(() => formatCompactMoney(Math.round(this.column().weighted)));
  protected readonly visible = computed(() => this.column().deals.slice(0, this.limit()));
  protected readonly hidden = computed(() => Math.max(0, this.column().deals.length - this.limit()));
  protected readonly nextPage = computed(() => Math.min(this.pageSize(), this.hidden()));

  protected dropped(event: CdkDragDrop<Stage, Stage, Deal>): void {
    const within = event.previousContainer === event.container;
    if (within && (!this.reorderable() || event.previousIndex === event.currentIndex)) return;
    // A folded column shows no cards: a drop there goes to the end.
    const index = this.folded() ? undefined : event.currentIndex;
    this.move.emit({ deal: event.item.data, to: event.container.data, index });
  }
}
