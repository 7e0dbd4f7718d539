import Parse from 'parse';
import { LiveBatch } from './live-batch';

const object = (id: string) => Parse.Object.fromJSON({ className: 'Deal', objectId: id });

describe('LiveBatch', () => {
  it('applies a burst of events once, the last event per object winning', async () => {
    vi.useFakeTimers();
    try {
      const apply = vi.fn();
      const batch = new LiveBatch(apply);
      for (let i = 0; i < 1000; i++) batch.upsert(object(`d${i}`));
      batch.remove(object('d5'));
      batch.upsert(object('d7'));
      expect(apply).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(50);
      expect(apply).toHaveBeenCalledOnce();
      const [upserts, removals] = apply.mock.calls[0];
      expect(upserts).toHaveLength(999);
      expect(removals).toEqual(['d5']);
    } finally {
      vi.useRealTimers();
    }
  });
});
