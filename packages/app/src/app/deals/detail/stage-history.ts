import { ChangeDetectionStrategy, Component, effect, input, signal, untracked } from '@angular/core';
import Parse from 'parse';
import { describeError } from '../../core/errors';
import { refOf } from '../../core/mappers';
import { pointer } from '../../core/query-utils';
import { Ref } from '../../core/models';
import { STAGE_INFO, isStage } from '../../core/stages';
import { formatDateTime } from '../../shared/format';

export interface StageChange {
  id: string;
  from: string | null;
  to: string | null;
  changedBy: Ref | null;
  changedAt: Date | null;
}

const HISTORY_LIMIT = 200;

/** The server-kept stage history of one deal (readable exactly when the deal is), oldest first. */
export async function loadStageHistory(dealId: string): Promise<StageChange[]> {
  const rows = await new Parse.Query('DealStageHistory')
    .equalTo('deal', pointer('Deal', dealId))
    .include('changedBy')
    .select(['from', 'to', 'changedAt', 'changedBy', 'changedBy.username'])
    .ascending('changedAt')
    .limit(HISTORY_LIMIT)
    .find();
  return rows.map((row) => {
    const text = (key: string) => (typeof row.get(key) === 'string' ? (row.get(key) as string) : null);
    const at = row.get('changedAt');
    return {
      id: row.id!,
      from: text('from'),
      to: text('to'),
      changedBy: refOf(row.get('changedBy'), 'username'),
      changedAt: at instanceof Date ? at : null,
    };
  });
}

export const stageLabel = (stage: string | null): string =>
  stage === null ? '—' : isStage(stage) ? STAGE_INFO[stage].label : stage;

@Component({
  selector: 'crm-stage-history',
  template: `
    @if (error(); as message) {
      <p class="muted" role="alert">Stage history unavailable: {{ message }}</p>
    } @else if (changes().length === 0) {
      <p class="muted">No stage changes recorded yet.</p>
    } @else {
      <ol class="history" data-testid="stage-history">
        @for (change of changes(); track change.id) {
          <li>
            <span class="move">
              @if (change.from === null) {
                Created in <strong>{{ label(change.to) }}</strong>
              } @else {
                {{ label(change.from) }} → <strong>{{ label(change.to) }}</strong>
              }
            </span>
            <span class="meta"
              >{{ when(change.changedAt) }}
              @if (change.changedBy?.name; as name) {
                · {{ name }}
              }
            </span>
          </li>
        }
      </ol>
    }
  `,
  styles: `
    .history {
      list-style: none;
      margin: 0;
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: 6px;
    }
    li {
      display: flex;
      justify-content: space-between;
      gap: 12px;
      font-size: 13px;
    }
    .meta,
    .muted {
      color: var(--crm-muted);
      font-size: 12px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StageHistory {
  readonly dealId = input.required<string>();
  /** Changes when the deal moves (its stageChangedAt), so the list reloads after every stage change. */
  readonly version = input<unknown>(null);

  protected readonly changes = signal<StageChange[]>([]);
  protected readonly error = signal<string | null>(null);
  protected readonly label = stageLabel;
  protected readonly when = (date: Date | null) => formatDateTime(date);

  constructor() {
    effect(() => {
      const id = this.dealId();
      this.version();
      untracked(() => void this.load(id));
    });
  }

  private async load(id: string): Promise<void> {
    try {
      const changes = await loadStageHistory(id);
      if (id !== this.dealId()) return;
      this.changes.set(changes);
      this.error.set(null);
    } catch (error) {
      this.error.set(describeError(error));
    }
  }
}
