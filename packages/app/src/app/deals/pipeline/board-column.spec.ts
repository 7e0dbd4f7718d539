import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { deal } from '../../../testing/deal-fixtures';
import { STAGE_INFO } from '../../core/stages';
import { BoardColumnView, MoveRequest } from './board-column';
import { BoardColumn } from './board-view';

function column(count: number): BoardColumn {
  const deals = Array.from({ length: count }, (_, i) => deal(`d${i}`, { stage: 'proposal', amount: 500 }));
  return { stage: 'proposal', info: STAGE_INFO.proposal, deals, total: count * 500 };
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

  it('asks to move a deal dropped from another column, and ignores reordering within one', async () => {
    const fixture = await render(1, 30);
    const moves: MoveRequest[] = [];
    fixture.componentInstance.move.subscribe((move) => moves.push(move));
    const dropped = (fixture.componentInstance as unknown as { dropped(event: unknown): void }).dropped.bind(
      fixture.componentInstance,
    );
    const here = { data: 'proposal' };
    dropped({ previousContainer: { data: 'lead' }, container: here, item: { data: deal('x') } });
    dropped({ previousContainer: here, container: here, item: { data: deal('y') } });
    expect(moves).toEqual([{ deal: deal('x'), to: 'proposal' }]);
  });
});
