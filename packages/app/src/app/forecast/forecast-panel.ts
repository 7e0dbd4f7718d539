import { ChangeDetectionStrategy, Component, computed, effect, inject, signal, untracked } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { describeError } from '../core/errors';
import { DealService } from '../deals/deal.service';
import { formatCompactMoney, formatMoney } from '../shared/format';
import { PipelineSummary, fetchSummary, openRows, quarterOf } from './forecast-summary';

/** Refetching on every live change of a busy board would be wasteful: wait for the changes to settle. */
const SETTLE_MS = 800;

/** The dashboard's forecast for this quarter, computed by the server (`pipelineSummary`). */
@Component({
  selector: 'crm-forecast-panel',
  imports: [MatIconModule],
  template: `
    <h2 id="forecast-title" class="panel-title">Forecast · {{ period.label }}</h2>
    @if (error(); as message) {
      <p class="muted" role="alert">The forecast is unavailable: {{ message }}</p>
    } @else if (summary(); as s) {
      <div class="figures" data-testid="forecast">
        <div>
          <span class="label">Weighted</span>
          <span class="value" data-testid="forecast-weighted">{{ money(s.open.weightedAmount) }}</span>
        </div>
        <div>
          <span class="label">Open</span>
          <span class="value">{{ money(s.open.amount) }}</span>
        </div>
        <div>
          <span class="label">Win rate</span>
          <span class="value" data-testid="forecast-win-rate">{{ percent(s.winRate) }}</span>
        </div>
        <div>
          <span class="label">Avg. cycle</span>
          <span class="value">{{ s.avgCycleDays === null ? '—' : round(s.avgCycleDays) + ' d' }}</span>
        </div>
      </div>
      <table class="stages" aria-label="Forecast by stage">
        @for (row of rows(); track row.stage) {
          <tr>
            <th scope="row">{{ row.label }}</th>
            <td>{{ row.count }}</td>
            <td>{{ compact(row.amount) }}</td>
            <td class="weighted">{{ compact(row.weightedAmount) }}</td>
          </tr>
        } @empty {
          <tr>
            <td class="muted">No open deals expected to close this quarter.</td>
          </tr>
        }
      </table>
      <p class="muted">Expected to close this quarter; win rate and cycle over deals closed in it.</p>
    } @else {
      <p class="muted">Loading the forecast…</p>
    }
  `,
  styles: `
    .figures {
      display: grid;
      grid-template-columns: repeat(4, minmax(0, 1fr));
      gap: 8px;
      margin-bottom: 12px;
    }
    .label {
      display: block;
      font-size: 12px;
      color: var(--crm-muted);
    }
    .value {
      font-size: 18px;
      font-weight: 650;
      font-variant-numeric: tabular-nums;
    }
    .stages {
      width: 100%;
      border-collapse: collapse;
      font-size: 13px;
    }
    th {
      text-align: left;
      font-weight: 500;
    }
    td {
      text-align: right;
      font-variant-numeric: tabular-nums;
      padding: 2px 0 2px 8px;
    }
    .weighted {
      font-weight: 600;
    }
    .muted {
      color: var(--crm-muted);
      font-size: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ForecastPanel {
  private readonly deals = inject(DealService);
  protected readonly period = quarterOf(new Date());
  protected readonly summary = signal<PipelineSummary | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly rows = computed(() => {
    const summary = this.summary();
    return summary ? openRows(summary) : [];
  });
  protected readonly money = formatMoney;
  protected readonly compact = formatCompactMoney;
  protected readonly round = Math.round;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    void this.load();
    // The board's list is live: when deals change, the forecast follows once the changes settle.
    let first = true;
    effect((onCleanup) => {
      this.deals.deals();
      if (first) {
        first = false;
        return;
      }
      untracked(() => {
        clearTimeout(this.timer);
        this.timer = setTimeout(() => void this.load(), SETTLE_MS);
      });
      onCleanup(() => clearTimeout(this.timer));
    });
  }

  protected percent(rate: number | null): string {
    return rate === null ? '—' : `${Math.round(rate * 100)}%`;
  }

  private async load(): Promise<void> {
    try {
      this.summary.set(await fetchSummary(this.period));
      this.error.set(null);
    } catch (error) {
      this.error.set(describeError(error));
    }
  }
}
