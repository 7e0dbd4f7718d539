import { TestBed } from '@angular/core/testing';
import { fakeRest } from '../../testing/fake-rest';
import { NetworkStatus } from './network-status';

describe('NetworkStatus', () => {
  it('is offline when the browser says so, and back online with it', () => {
    fakeRest(() => ({ status: 'ok' }));
    const status = TestBed.inject(NetworkStatus);
    expect(status.online()).toBe(true);
    window.dispatchEvent(new Event('offline'));
    expect(status.online()).toBe(false);
    window.dispatchEvent(new Event('online'));
    expect(status.online()).toBe(true);
  });

  it('is offline while the server is unreachable and probes it until it answers', async () => {
    vi.useFakeTimers();
    try {
      const calls = fakeRest(() => ({ status: 'ok' }));
      const status = TestBed.inject(NetworkStatus);
      status.reportReachable(false);
      expect(status.online()).toBe(false);
      await vi.advanceTimersByTimeAsync(5000);
      expect(calls.some((call) => call.path === 'health')).toBe(true);
      status.reportReachable(true);
      expect(status.online()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});
