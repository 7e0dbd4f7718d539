import { CdkDrag, CdkDragDrop, CdkDragPlaceholder, CdkDropList } from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { Deal, Stage } from '../../core/models';
import { formatCompactMoney } from '../../shared/format';
import { BoardColumn } from './board-view';
import { DealCard } from './deal-card';

export interface MoveRequest {
  deal: Deal;
  to: Stage;
}

/** Touch: hold briefly to pick a card up, so that swiping to scroll the board never drags a deal. */
const DRAG_DELAY = { touch: 300, mouse: 0 };

@Component({
  selector: 'crm-board-column',
  imports: [CdkDropList, CdkDrag, CdkDragPlaceholder, MatButtonModule, DealCard],
  template: `
    <header [style.--stage-color]="column().info.color">
      <h2 [id]="headingId()">
        {{ column().info.label }}
        <span class="count" [attr.aria-label]="column().deals.length + ' deals'">{{ column().deals.length }}</span>
      </h2>
      <span class="total" [attr.aria-label]="'Total ' + total()">{{ total() }}</span>
    </header>
    <div
      class="cards"
      role="list"
      [attr.aria-labelledby]="headingId()"
      cdkDropList
      [cdkDropListData]="column().stage"
      (cdkDropListDropped)="dropped($event)"
      [attr.data-stage]="column().stage"
    >
      @for (deal of visible(); track deal.id) {
        <crm-deal-card
          role="listitem"
          cdkDrag
          [cdkDragData]="deal"
          [cdkDragStartDelay]="dragDelay"
          [deal]="deal"
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
    </div>
  `,
  styleUrl: './board-column.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BoardColumnView {
  readonly column = input.required<BoardColumn>();
  /** Cards rendered; the rest wait behind "show more" so a column of thousands stays light. */
  readonly limit = input.required<number>();
  readonly pageSize = input(30);
  readonly move = output<MoveRequest>();
  readonly showMore = output<void>();

  protected readonly dragDelay = DRAG_DELAY;
  protected readonly headingId = computed(() => `stage-${this.column().stage}`);
  protected readonly total = computed(() => formatCompactMoney(this.column().total));
  protected readonly visible = computed(() => this.column().deals.slice(0, this.limit()));
  protected readonly hidden = computed(() => Math.max(0, this.column().deals.length - this.limit()));
  protected readonly nextPage = computed(() => Math.min(this.pageSize(), this.hidden()));

  protected dropped(event: CdkDragDrop<Stage, Stage, Deal>): void {
    if (event.previousContainer === event.container) return;
    this.move.emit({ deal: event.item.data, to: event.container.data });
  }
}
