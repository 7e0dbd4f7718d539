import { LiveAnnouncer } from '@angular/cdk/a11y';
import { CdkDropListGroup } from '@angular/cdk/drag-drop';
import {
  ChangeDetectionStrategy,
  Component,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { MatSnackBar } from '@angular/material/snack-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { Router } from '@angular/router';
import { AuthService } from '../../auth/auth.service';
import { describeError } from '../../core/errors';
import { Deal, Ref, STAGES, Stage } from '../../core/models';
import { STAGE_INFO } from '../../core/stages';
import { EmptyState } from '../../shared/empty-state';
import { formatMoney } from '../../shared/format';
import { RecordPicker, RecordSearch } from '../../shared/record-picker';
import { CompanyService } from '../../companies/company.service';
import { LiveService } from '../../live/live.service';
import { UserDirectoryService } from '../../users/user-directory.service';
import { DealService } from '../deal.service';
import { NewDealDialog, NewDealDefaults } from '../new-deal-dialog';
import { BoardColumnView, MoveRequest } from './board-column';
import { BoardSort, OwnerFilter, buildColumns } from './board-view';
import { placeAt, positionAtEnd } from './board-order';
import { PipelineConfigService } from '../../forecast/pipeline-config.service';
import { whenIdle } from '../../core/idle';

const PAGE = 30;
/** Cards per column in the first paint: enough to fill a tall screen, few enough to show a big board at once. */
const FIRST_PAINT = 10;
const FILTER_KEY = 'crm.board';

interface SavedBoard {
  owner: OwnerFilter;
  sort: BoardSort;
}

import { CsvActions } from '../../importing/csv-actions';
@Component({
  selector: 'crm-pipeline-page',
  imports: [
    FormsModule,
    CdkDropListGroup,
    MatButtonModule,
    MatButtonToggleModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatSelectModule,
    MatTooltipModule,
    BoardColumnView,
    EmptyState,
    RecordPicker,
  ],
  templateUrl: './pipeline-page.html',
  styleUrl: './pipeline-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PipelinePage {
  protected readonly deals = inject(DealService);
  protected readonly auth = inject(AuthService);
  protected readonly users = inject(UserDirectoryService);
  private readonly liveService = inject(LiveService);
  protected readonly live = computed(() => this.liveService.watching().has('Deal'));
  private readonly companies = inject(CompanyService);
  private readonly dialog = inject(MatDialog);
  private readonly snackBar = inject(MatSnackBar);
  private readonly announcer = inject(LiveAnnouncer);
  private readonly router = inject(Router);
  private readonly pipeline = inject(PipelineConfigService);

  private readonly saved = readSaved();
  protected readonly owner = signal<OwnerFilter>(this.saved.owner);
  protected readonly sort = signal<BoardSort>(this.saved.sort);
  protected readonly company = signal<Ref | null>(null);
  protected readonly text = signal('');
  private readonly limits = signal<Partial<Record<Stage, number>>>({});
  private readonly baseLimit = signal(FIRST_PAINT);

  protected readonly columns = computed(() =>
    buildColumns(
      this.deals.deals(),
      { owner: this.owner(), companyId: this.company()?.id ?? null, text: this.text() },
      this.sort(),
      this.auth.user()?.id,
      this.pipeline.settings(),
    ),
  );
  /** Columns the user opened or closed against their configured default (won/lost start folded). */
  private readonly foldToggled = signal<ReadonlySet<Stage>>(new Set());
  protected isFolded(stage: Stage): boolean {
    return this.pipeline.settings()[stage].folded !== this.foldToggled().has(stage);
  }
  protected readonly summary = computed(() => {
    const open = this.columns().filter((column) => column.info.open);
    const count = open.reduce((sum, column) => sum + column.deals.length, 0);
    const value = open.reduce((sum, column) => sum + column.total, 0);
    const weighted = open.reduce((sum, column) => sum + column.weighted, 0);
    return `${count} open ${count === 1 ? 'deal' : 'deals'} · ${formatMoney(value)} · ${formatMoney(Math.round(weighted))} weighted`;
  });
  protected readonly filtered = computed(() => this.owner() !== 'all' || this.company() !== null || this.text().trim() !== '');
  protected readonly noMatches = computed(
    () => this.deals.deals().length > 0 && this.columns().every((column) => column.deals.length === 0),
  );
  protected readonly pageSize = PAGE;
  protected readonly skeleton = STAGES;
  protected readonly searchCompanies: RecordSearch = (term) => this.companies.suggest(term);

  protected readonly csv = inject(CsvActions);

  protected async importCsv(): Promise<void> {
    if (await this.csv.import('Deal')) void this.deals.reload();
  }

  constructor() {
    void this.deals.load();
    void this.users.load();
    void this.pipeline.load();
    const injector = inject(Injector);
    effect(() => {
      if (this.deals.status() !== 'ready' || untracked(this.baseLimit) >= PAGE) return;
      // The rest of the first page of each column once the board is on screen and the browser is idle.
      afterNextRender(() => whenIdle(() => this.baseLimit.set(PAGE)), { injector });
    });
  }

  protected limitOf(stage: Stage): number {
    return this.limits()[stage] ?? this.baseLimit();
  }

  protected showMore(stage: Stage): void {
    this.limits.update((limits) => ({ ...limits, [stage]: this.limitOf(stage) + PAGE }));
  }

  protected setOwner(owner: OwnerFilter): void {
    this.owner.set(owner);
    this.remember();
  }

  protected setSort(sort: BoardSort): void {
    this.sort.set(sort);
    this.remember();
  }

  protected clearFilters(): void {
    this.company.set(null);
    this.text.set('');
    this.setOwner('all');
  }

  protected toggleFold(stage: Stage): void {
    this.foldToggled.update((set) => {
      const next = new Set(set);
      if (!next.delete(stage)) next.add(stage);
      return next;
    });
  }

  /**
   * A drop or a "Move to": in manual order the deal lands between its new neighbours (midpoint positions,
   * board-order.ts); sorted by date it goes to the end of the column's manual order.
   */
  protected async move({ deal, to, index }: MoveRequest): Promise<void> {
    const from = deal.stage;
    const column = this.columns().find((c) => c.stage === to)?.deals ?? [];
    const placement =
      index !== undefined && this.sort() === 'manual'
        ? placeAt(column, deal.id, index)
        : { position: positionAtEnd(column, deal.id), renumber: [] };
    if (from === to && index === undefined) return;
    try {
      const outcome = await this.deals.place(deal.id, to, placement.position, placement.renumber);
      const where = from === to ? `moved within ${STAGE_INFO[to].label}` : `moved to ${STAGE_INFO[to].label}`;
      this.announcer.announce(`${deal.title} ${where}${outcome === 'queued' ? ', will sync when online' : ''}`);
    } catch (error) {
      this.snackBar.open(
        `Could not move “${deal.title}”: ${describeError(error)} It is back in ${STAGE_INFO[from].label}.`,
        'Dismiss',
        { duration: 8000 },
      );
    }
  }

  protected newDeal(stage?: Stage): void {
    const data: NewDealDefaults = { stage, company: this.company() };
    this.dialog
      .open(NewDealDialog, { data, width: '640px', maxWidth: '95vw', autoFocus: 'first-tabbable' })
      .afterClosed()
      .subscribe((deal?: Deal) => {
        if (!deal) return;
        this.snackBar
          .open(`Deal “${deal.title}” created`, 'Open')
          .onAction()
          .subscribe(() => void this.router.navigate(['/deals', deal.id]));
      });
  }

  private remember(): void {
    localStorage.setItem(FILTER_KEY, JSON.stringify({ owner: this.owner(), sort: this.sort() } satisfies SavedBoard));
  }
}

function readSaved(): SavedBoard {
  try {
    const saved = JSON.parse(localStorage.getItem(FILTER_KEY) ?? '{}') as Partial<SavedBoard>;
    const sort: BoardSort = saved.sort === 'updated' || saved.sort === 'close' ? saved.sort : 'manual';
    return { owner: typeof saved.owner === 'string' ? saved.owner : 'all', sort };
  } catch {
    return { owner: 'all', sort: 'manual' };
  }
}
