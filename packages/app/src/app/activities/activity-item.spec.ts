import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { AuthService } from '../auth/auth.service';
import { Activity } from '../core/models';
import { ActivityItem } from './activity-item';

const base: Activity = {
  id: 'a1',
  type: 'call',
  subject: 'Intro call',
  description: '',
  dueDate: null,
  completedAt: null,
  related: { className: 'Deal', id: 'd1', name: 'Fleet renewal' },
  createdBy: { id: 'u2', name: 'sam' },
  createdAt: new Date(),
  pending: false,
};

describe('ActivityItem', () => {
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    TestBed.inject(AuthService).user.set({ id: 'u1', username: 'ana', email: '' });
  });

  async function render(activity: Activity, showRelated = true) {
    const fixture = TestBed.createComponent(ActivityItem);
    fixture.componentRef.setInput('activity', activity);
    fixture.componentRef.setInput('showRelated', showRelated);
    await fixture.whenStable();
    return fixture;
  }

  it('shows an overdue task with its deal, its author and an accessible done box', async () => {
    const fixture = await render({ ...base, dueDate: new Date(2020, 0, 1) });
    const host: HTMLElement = fixture.nativeElement;
    expect(host.querySelector('.overdue')?.textContent).toContain('Due');
    expect(host.querySelector('a')?.getAttribute('href')).toBe('/deals/d1');
    expect(host.textContent).toContain('by sam');
    expect(host.querySelector('input[type="checkbox"]')?.getAttribute('aria-label')).toBe('Mark done: Intro call');
  });

  it('emits the new state when the box is ticked, and hides my own name', async () => {
    const fixture = await render({ ...base, createdBy: { id: 'u1', name: 'ana' } });
    const toggles: boolean[] = [];
    fixture.componentInstance.toggle.subscribe((done) => toggles.push(done));
    (fixture.nativeElement as HTMLElement).querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    expect(toggles).toEqual([true]);
    expect((fixture.nativeElement as HTMLElement).textContent).not.toContain('by ana');
  });

  it('has no done box for a note and flags unsynced entries', async () => {
    const fixture = await render({ ...base, type: 'note', pending: true, completedAt: new Date() });
    const host: HTMLElement = fixture.nativeElement;
    expect(host.querySelector('input[type="checkbox"]')).toBeNull();
    expect(host.textContent).toContain('Waiting to sync');
  });
});
