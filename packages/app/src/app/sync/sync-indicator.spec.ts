import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { SyncState } from './sync-state';
import { SyncIndicator } from './sync-indicator';
import { SyncService } from './sync.service';

describe('SyncIndicator', () => {
  it('announces online, offline with waiting changes, and syncing', async () => {
    const state = signal<SyncState>('online');
    const pending = signal(0);
    TestBed.configureTestingModule({ providers: [{ provide: SyncService, useValue: { state, pending } }] });
    const fixture = TestBed.createComponent(SyncIndicator);
    await fixture.whenStable();
    const status = () => (fixture.nativeElement as HTMLElement).querySelector('[role="status"]')!;
    expect(status().textContent).toContain('Online');

    state.set('offline');
    pending.set(2);
    await fixture.whenStable();
    expect(status().textContent).toContain('Offline');
    expect(status().querySelector('.count')?.getAttribute('aria-label')).toBe('2 changes waiting to sync');

    state.set('syncing');
    await fixture.whenStable();
    expect(status().textContent).toContain('Syncing');
  });
});
