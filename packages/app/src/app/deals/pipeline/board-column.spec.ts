import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { deal } from '../../../testing/deal-fixtures';
import { STAGE_INFO } from '../../core/stages';
import { BoardColumnView, MoveRequest } from './board-column';
import { BoardColumn } from './board-view';
import { DEFAULT_SETTINGS } from '../../forecast/pipeline-settings';

function column(count: number): BoardColumn {
  const deals = Array.from({ length: count }, (_, i) => deal(`d${i}`, { stage: 'proposal', amount: 500 }));
  return {
    stage: 'proposal',
    info: STAGE_INFO.proposal,
    deals,
    total: count * 500,
    weighted: count * 250,
    settings: DEFAULT_SETTINGS.proposal,
    stale: new Set(deals.slice(0, 1).map((d) => d.id)),
  };
}

describe('BoardColumnView', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideRouter([])] }));

  async function render(count: number, limit: number) {
    const fixture = TestBed.createComponent(BoardColumnView);
    fixture.componentRef.setInput('column', column(count));
    fixture.componentRef.setInput('limit', limit);
    await fixture.whenStable();
    return fixture;
  }

  it('shows the stage, its count and total, and only the first cards', async () => {
    const fixture = await render(45, 30);
    const host: HTMLElement = fixture.nativeElement;
    expect(host.querySelector('h2')?.textContent).toContain('Proposal');
    expect(host.querySelector('.count')?.textContent?.trim()).toBe('45');
    expect(host.querySelector('.total')?.textContent).toContain('22');
    expect(host.querySelectorAll('crm-deal-card')).toHaveLength(30);
    expect(host.querySelector('button.show-more')?.textContent).toContain('Show 15 more of 15');
  });

  it('says when a stage is empty', async () => {
    const fixture = await render(0, 30);
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('No deals');
  });

  it('shows the weighted amount and flags stale deals', async () => {
    const fixture = await render(3, 30);
    const host: HTMLElement = fixture.nativeElement;
    expect(host.querySelector('[data-testid="column-weighted"]')?.textContent).toContain('750');
    expect(host.querySelectorAll('[data-testid="stale-flag"]')).toHaveLength(1);
  });

  it('folded: header only, no cards, and asks to toggle', async () => {
    const fixture = await render(3, 30);
    fixture.componentRef.setInput('folded', true);
    await fixture.whenStable();
    const host: HTMLElement = fixture.nativeElement;
    expect(host.querySelectorAll('crm-deal-card')).toHaveLength(0);
    expect(host.querySelector('.count')?.textContent?.trim()).toBe('3');
    let toggled = 0;
    fixture.componentInstance.toggleFold.subscribe(() => toggled++);
    host.querySelector<HTMLButtonElement>('[data-testid="fold-toggle"]')!.click();
    expect(toggled).toBe(1);
  });

  function dropper(fixture: Awaited<ReturnType<typeof render>>) {
    return (fixture.componentInstance as unknown as { dropped(event: unknown): void }).dropped.bind(fixture.componentInstance);
  }

  it('asks to move a deal dropped from another column, with the drop index', async () => {
    const fixture = await render(1, 30);
    const moves: MoveRequest[] = [];
    fixture.componentInstance.move.subscribe((move) => moves.push(move));
    const here = { data: 'proposal' };
    dropper(fixture)({
      previousContainer: { data: 'lead' },
      container: here,
      item: { data: deal('x') },
      previousIndex: 0,
      currentIndex: 1,
    });
    expect(moves).toEqual([{ deal: deal('x'), to: 'proposal', index: 1 }]);
  });

  it('reorders within the column only in manual order, and only when the card moved', async () => {
    const fixture = await render(3, 30);
    const moves: MoveRequest[] = [];
    fixture.componentInstance.move.subscribe((move) => moves.push(move));
    const here = { data: 'proposal' };
    const within = (previousIndex: number, currentIndex: number) =>
      dropper(fixture)({ previousContainer: here, container: here, item: { data: deal('y') }, previousIndex, currentIndex });
    within(0, 2);
    expect(moves).toEqual([]);
    fixture.componentRef.setInput('reorderable', true);
    within(1, 1);
    within(0, 2);
    expect(moves).toEqual([{ deal: deal('y'), to: 'proposal', index: 2 }]);
  });
});
