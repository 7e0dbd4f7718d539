import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { MatSnackBar } from '@angular/material/snack-bar';
import { provideRouter } from '@angular/router';
import Parse from 'parse';
import { deal } from '../../../testing/deal-fixtures';
import { AuthService } from '../../auth/auth.service';
import { CompanyService } from '../../companies/company.service';
import { Deal, DataSource, LoadState } from '../../core/models';
import { UserDirectoryService } from '../../users/user-directory.service';
import { DealService } from '../deal.service';
import { PipelinePage } from './pipeline-page';
import { PipelineConfigService } from '../../forecast/pipeline-config.service';
import { DEFAULT_SETTINGS } from '../../forecast/pipeline-settings';

class FakeDeals {
  readonly deals = signal<Deal[]>([
    deal('a', { title: 'Alpha', stage: 'lead' }),
    deal('b', { title: 'Beta', stage: 'won', owner: { id: 'u2', name: 'sam' } }),
  ]);
  readonly status = signal<LoadState>('ready');
  readonly error = signal<string | null>(null);
  readonly source = signal<DataSource>('server');
  load = vi.fn(async () => undefined);
  reload = vi.fn(async () => undefined);
  place = vi.fn(async (): Promise<'saved'> => 'saved');
}

describe('PipelinePage', () => {
  let deals: FakeDeals;
  let snackBar: { open: ReturnType<typeof vi.fn> };

  beforeEach(() => {
    deals = new FakeDeals();
    snackBar = { open: vi.fn(() => ({ onAction: () => ({ subscribe: () => undefined }) })) };
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        { provide: DealService, useValue: deals },
        { provide: MatSnackBar, useValue: snackBar },
        { provide: UserDirectoryService, useValue: { users: signal([]), load: async () => undefined, search: async () => [] } },
        { provide: CompanyService, useValue: { suggest: async () => [] } },
        { provide: PipelineConfigService, useValue: { settings: signal(DEFAULT_SETTINGS), load: async () => undefined } },
      ],
    });
    TestBed.inject(AuthService).user.set({ id: 'u1', username: 'ana', email: '' });
  });

  async function render() {
    const fixture = TestBed.createComponent(PipelinePage);
    await fixture.whenStable();
    return fixture;
  }

  it('renders six stage columns with the deals and an open-pipeline summary', async () => {
    const fixture = await render();
    const host: HTMLElement = fixture.nativeElement;
    expect(host.querySelectorAll('crm-board-column')).toHaveLength(6);
    expect(host.querySelector('[data-stage="lead"]')?.textContent).toContain('Alpha');
    // Won and Lost start folded: counted, cards hidden until opened.
    expect(host.querySelector('[data-stage="won"]')?.textContent).not.toContain('Beta');
    expect(host.querySelector('[data-testid="board-summary"]')?.textContent).toContain('1 open deal');
    expect(host.querySelector('[data-testid="board-summary"]')?.textContent).toContain('$100 weighted');
    host.querySelector<HTMLButtonElement>('crm-board-column:nth-child(5) [data-testid="fold-toggle"]')!.click();
    await fixture.whenStable();
    expect(host.querySelector('[data-stage="won"]')?.textContent).toContain('Beta');
  });

  it('shows an empty state for an empty pipeline and an error state with retry', async () => {
    deals.deals.set([]);
    const fixture = await render();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Your pipeline is empty');

    deals.status.set('error');
    deals.error.set('The server cannot be reached.');
    await fixture.whenStable();
    const retry = [...(fixture.nativeElement as HTMLElement).querySelectorAll('button')].find((b) =>
      b.textContent?.includes('Try again'),
    )!;
    retry.click();
    expect(deals.reload).toHaveBeenCalled();
  });

  it('tells the user when the server refuses a move', async () => {
    deals.place.mockRejectedValueOnce(new Parse.Error(Parse.Error.OPERATION_FORBIDDEN, 'no'));
    const fixture = await render();
    await (fixture.componentInstance as unknown as { move(m: unknown): Promise<void> }).move({
      deal: deals.deals()[0],
      to: 'won',
    });
    expect(snackBar.open.mock.calls[0][0]).toBe(
      'Could not move “Alpha”: You do not have permission to do that. It is back in Lead.',
    );
  });

  it('places a deal dropped between two others at the midpoint of their positions', async () => {
    deals.deals.set([
      deal('a', { title: 'A', stage: 'lead', position: 1024 }),
      deal('b', { title: 'B', stage: 'lead', position: 2048 }),
      deal('c', { title: 'C', stage: 'lead', position: 3072 }),
    ]);
    const fixture = await render();
    const move = (fixture.componentInstance as unknown as { move(m: unknown): Promise<void> }).move.bind(
      fixture.componentInstance,
    );
    await move({ deal: deals.deals()[2], to: 'lead', index: 1 });
    expect(deals.place).toHaveBeenLastCalledWith('c', 'lead', 1536, []);
    await move({ deal: deals.deals()[0], to: 'proposal', index: 0 });
    expect(deals.place).toHaveBeenLastCalledWith('a', 'proposal', 1024, []);
  });

  it('filters to my deals', async () => {
    const fixture = await render();
    (fixture.componentInstance as unknown as { setOwner(owner: string): void }).setOwner('mine');
    await fixture.whenStable();
    const host: HTMLElement = fixture.nativeElement;
    expect(host.textContent).toContain('Alpha');
    expect(host.textContent).not.toContain('Beta');
  });
});
