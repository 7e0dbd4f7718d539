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
  moveStage = vi.fn(async (): Promise<'saved'> => 'saved');
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
    expect(host.querySelector('[data-stage="won"]')?.textContent).toContain('Beta');
    expect(host.querySelector('[data-testid="board-summary"]')?.textContent).toContain('1 open deal');
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
    deals.moveStage.mockRejectedValueOnce(new Parse.Error(Parse.Error.OPERATION_FORBIDDEN, 'no'));
    const fixture = await render();
    await (fixture.componentInstance as unknown as { move(m: unknown): Promise<void> }).move({
      deal: deals.deals()[0],
      to: 'won',
    });
    expect(snackBar.open.mock.calls[0][0]).toBe(
      'Could not move “Alpha”: You do not have permission to do that. It is back in Lead.',
    );
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
