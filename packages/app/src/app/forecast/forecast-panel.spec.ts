import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import Parse from 'parse';
import { Deal } from '../core/models';
import { DealService } from '../deals/deal.service';
import { ForecastPanel } from './forecast-panel';
import { PipelineSummary, openRows, quarterOf } from './forecast-summary';

const summary: PipelineSummary = {
  from: '2026-04-01T00:00:00.000Z',
  to: '2026-07-01T00:00:00.000Z',
  stages: [
    {
      stage: 'lead',
      label: 'Lead',
      probability: 0.1,
      won: false,
      lost: false,
      configured: true,
      count: 2,
      amount: 1500,
      weightedAmount: 150,
    },
    {
      stage: 'qualified',
      label: 'Qualified',
      probability: 0.25,
      won: false,
      lost: false,
      configured: true,
      count: 0,
      amount: 0,
      weightedAmount: 0,
    },
    {
      stage: 'won',
      label: 'Won',
      probability: 1,
      won: true,
      lost: false,
      configured: true,
      count: 1,
      amount: 900,
      weightedAmount: 900,
    },
  ],
  open: { count: 2, amount: 1500, weightedAmount: 150 },
  wonCount: 1,
  lostCount: 1,
  winRate: 0.5,
  avgCycleDays: 12.4,
};

describe('forecast summary helpers', () => {
  it('takes the calendar quarter around a date', () => {
    const q = quarterOf(new Date(2026, 4, 20));
    expect([q.from, q.to, q.label]).toEqual([new Date(2026, 3, 1), new Date(2026, 6, 1), 'Q2 2026']);
    expect(quarterOf(new Date(2026, 11, 31)).to).toEqual(new Date(2027, 0, 1));
  });

  it('lists open stages that have deals', () => {
    expect(openRows(summary).map((s) => s.stage)).toEqual(['lead']);
  });
});

describe('ForecastPanel', () => {
  afterEach(() => vi.restoreAllMocks());

  it("shows the server's forecast for this quarter", async () => {
    const run = vi.spyOn(Parse.Cloud, 'run').mockResolvedValue(summary);
    TestBed.configureTestingModule({ providers: [{ provide: DealService, useValue: { deals: signal<Deal[]>([]) } }] });
    const fixture = TestBed.createComponent(ForecastPanel);
    await fixture.whenStable();
    await Promise.resolve();
    fixture.detectChanges();
    await fixture.whenStable();
    const host: HTMLElement = fixture.nativeElement;
    const [name, params] = run.mock.calls[0] as [string, { from: Date; to: Date }];
    expect(name).toBe('pipelineSummary');
    expect(params.from).toEqual(quarterOf(new Date()).from);
    expect(host.querySelector('[data-testid="forecast-weighted"]')?.textContent).toContain('150');
    expect(host.querySelector('[data-testid="forecast-win-rate"]')?.textContent).toContain('50%');
    expect(host.querySelectorAll('tr')).toHaveLength(1);
    expect(host.textContent).toContain('12 d');
  });

  it('says when the forecast cannot be loaded', async () => {
    vi.spyOn(Parse.Cloud, 'run').mockRejectedValue(new Parse.Error(141, 'boom'));
    TestBed.configureTestingModule({ providers: [{ provide: DealService, useValue: { deals: signal<Deal[]>([]) } }] });
    const fixture = TestBed.createComponent(ForecastPanel);
    await fixture.whenStable();
    await Promise.resolve();
    fixture.detectChanges();
    await fixture.whenStable();
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('unavailable');
  });
});
