import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Deal } from '../core/models';
import { STAGE_INFO } from '../core/stages';
import { formatDay, formatMoney } from '../shared/format';

/** Compact deal rows for the contact and company screens. */
@Component({
  selector: 'crm-deal-list',
  imports: [RouterLink],
  template: `
    @for (deal of deals(); track deal.id) {
      <a class="row" [routerLink]="['/deals', deal.id]">
        <span class="title">{{ deal.title }}</span>
        <span class="chip" [style.color]="info[deal.stage].ink"
          ><span class="dot" [style.background]="info[deal.stage].color"></span>{{ info[deal.stage].label }}</span
        >
        <span class="amount">{{ money(deal.amount) }}</span>
        <span class="close muted">{{ deal.expectedCloseDate ? day(deal.expectedCloseDate) : '' }}</span>
      </a>
    } @empty {
      <p class="muted empty">{{ emptyText() }}</p>
    }
  `,
  styles: `
    .row {
      display: grid;
      grid-template-columns: minmax(0, 1fr) auto 90px 80px;
      align-items: center;
      gap: 12px;
      padding: 9px 4px;
      color: inherit;
      text-decoration: none;
      border-radius: 8px;
    }
    .row + .row {
      border-top: 1px solid var(--crm-border);
    }
    .row:hover {
      background: #f7f8fb;
    }
    .title {
      font-weight: 600;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    .chip {
      background: #fff;
      border: 1px solid currentColor;
    }
    .amount {
      text-align: right;
      font-weight: 600;
      font-variant-numeric: tabular-nums;
    }
    .close {
      text-align: right;
      font-size: 13px;
    }
    .empty {
      margin: 4px 0;
    }
    @media (max-width: 600px) {
      .row {
        grid-template-columns: minmax(0, 1fr) auto;
      }
      .amount,
      .close {
        display: none;
      }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DealList {
  readonly deals = input.required<readonly Deal[]>();
  readonly emptyText = input('No deals yet.');

  protected readonly info = STAGE_INFO;
  protected readonly money = formatMoney;
  protected readonly day = formatDay;
}
