import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { deal } from '../../../testing/deal-fixtures';
import { DealCard } from './deal-card';

describe('DealCard', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [provideRouter([])] }));

  it('shows title, company, amount and an overdue close date for an open deal', async () => {
    const fixture = TestBed.createComponent(DealCard);
    fixture.componentRef.setInput(
      'deal',
      deal('d1', {
        title: 'Fleet renewal',
        amount: 24000,
        company: { id: 'c', name: 'Acme' },
        expectedCloseDate: new Date(2020, 0, 1),
      }),
    );
    await fixture.whenStable();
    const host: HTMLElement = fixture.nativeElement;
    expect(host.querySelector('a.title')?.getAttribute('href')).toBe('/deals/d1');
    expect(host.textContent).toContain('Fleet renewal');
    expect(host.textContent).toContain('Acme');
    expect(host.querySelector('.amount')?.textContent).toContain('24,000');
    expect(host.querySelector('.close')?.classList).toContain('overdue');
    expect(host.querySelector('button.more')?.getAttribute('aria-label')).toBe('Actions for Fleet renewal');
  });

  it('does not flag a won deal as late, and marks unsynced deals', async () => {
    const fixture = TestBed.createComponent(DealCard);
    fixture.componentRef.setInput('deal', deal('d2', { stage: 'won', expectedCloseDate: new Date(2020, 0, 1), pending: true }));
    await fixture.whenStable();
    const host: HTMLElement = fixture.nativeElement;
    expect(host.querySelector('.close')?.classList).not.toContain('overdue');
    expect(host.classList).toContain('is-pending');
    expect(host.querySelector('[aria-label="Waiting to sync"]')).not.toBeNull();
  });
});
