import Parse from 'parse';
import { queuedCreates, stampQueuedUpdates } from './eventually-queue';

function fakeQueue(items: unknown[]) {
  return {
    items,
    getQueue: vi.fn(async () => items),
    setQueue: vi.fn(async (next: unknown[]) => void (items = next)),
    sendQueue: vi.fn(),
    length: vi.fn(),
    clear: vi.fn(),
    stopPoll: vi.fn(),
  };
}

describe('stampQueuedUpdates', () => {
  it('replaces the object creation date of queued updates by the queue time', async () => {
    const queue = fakeQueue([
      {
        id: 'd1',
        className: 'Deal',
        action: 'save',
        queueId: 'q1',
        createdAt: '2026-05-01T10:00:00.000Z',
        object: { createdAt: '2025-01-01T00:00:00.000Z', stage: 'won' },
      },
      { className: 'Activity', action: 'save', queueId: 'q2', createdAt: '2026-05-01T10:00:00.000Z', object: { subject: 'new' } },
    ]);
    await stampQueuedUpdates(queue as never);
    expect(queue.setQueue).toHaveBeenCalledOnce();
    const [update, create] = queue.setQueue.mock.calls[0][0] as { object: Record<string, unknown> }[];
    expect(update.object['createdAt']).toBe('2026-05-01T10:00:00.000Z');
    expect(create.object['createdAt']).toBeUndefined();
  });

  it('writes nothing when there is nothing to fix', async () => {
    const queue = fakeQueue([]);
    await stampQueuedUpdates(queue as never);
    expect(queue.setQueue).not.toHaveBeenCalled();
  });
});

describe('queuedCreates', () => {
  it('rebuilds unsaved objects of one class with their pointers', async () => {
    const queue = fakeQueue([
      {
        className: 'Activity',
        action: 'save',
        queueId: 'q',
        createdAt: new Date(),
        object: { subject: 'Left a voicemail', relatedTo: { __type: 'Pointer', className: 'Deal', objectId: 'd1' } },
      },
      { className: 'Deal', action: 'save', queueId: 'q3', createdAt: new Date(), object: { title: 'x' } },
    ]);
    const [activity, ...rest] = await queuedCreates('Activity', queue as never);
    expect(rest).toHaveLength(0);
    expect(activity.id).toBeUndefined();
    expect(activity.get('subject')).toBe('Left a voicemail');
    expect((activity.get('relatedTo') as Parse.Object).id).toBe('d1');
  });
});
