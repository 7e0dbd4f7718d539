import { afterEach, describe, expect, it, vi } from 'vitest';
import { RollupFolder } from './rollup-folder.js';

const quietLog = () => ({ warn: vi.fn() });

describe('rollup folder', () => {
  afterEach(() => vi.useRealTimers());

  it('folds only after deltas were written, once per batch of writes', async () => {
    const fold = vi.fn(async () => {});
    const folder = new RollupFolder(fold);
    const log = quietLog();
    await folder.tick(log);
    expect(fold).not.toHaveBeenCalled();
    folder.noteDelta();
    folder.noteDelta();
    await folder.tick(log);
    await folder.tick(log);
    expect(fold).toHaveBeenCalledTimes(1);
  });

  it('logs a failed fold and tries again at the next tick', async () => {
    const fold = vi.fn<() => Promise<void>>().mockRejectedValueOnce(new Error('database restarting')).mockResolvedValue();
    const folder = new RollupFolder(fold);
    const log = quietLog();
    folder.noteDelta();
    await folder.tick(log);
    expect(log.warn).toHaveBeenCalledTimes(1);
    await folder.tick(log);
    expect(fold).toHaveBeenCalledTimes(2);
    await folder.tick(log);
    expect(fold).toHaveBeenCalledTimes(2);
  });

  it('never runs two folds at once', async () => {
    let finish = () => {};
    const fold = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const folder = new RollupFolder(fold);
    const log = quietLog();
    folder.noteDelta();
    const first = folder.tick(log);
    folder.noteDelta();
    void folder.tick(log);
    expect(fold).toHaveBeenCalledTimes(1);
    finish();
    await first;
    // The delta noted while the first fold ran is folded at the next tick.
    const second = folder.tick(log);
    expect(fold).toHaveBeenCalledTimes(2);
    finish();
    await second;
  });

  it('ticks on its timer until closed, and close waits for the fold in progress', async () => {
    vi.useFakeTimers();
    let finish = () => {};
    const fold = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const folder = new RollupFolder(fold);
    folder.start(quietLog(), 1_000);
    folder.noteDelta();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(fold).toHaveBeenCalledTimes(1);
    let closed = false;
    const closing = folder.close().then(() => (closed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(closed).toBe(false);
    finish();
    await closing;
    folder.noteDelta();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fold).toHaveBeenCalledTimes(1);
  });
});
