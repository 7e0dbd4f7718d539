import Parse from 'parse';

interface QueueItem {
  id?: string;
  className: string;
  action: 'save' | 'destroy';
  queueId: string;
  createdAt: string | Date;
  object: Record<string, unknown>;
}

interface QueueApi {
  getQueue(): Promise<QueueItem[]>;
  setQueue(items: QueueItem[]): Promise<void>;
  sendQueue(): Promise<boolean>;
  length(): Promise<number>;
  clear(): Promise<void>;
  stopPoll(): void;
}

export function eventuallyQueue(): QueueApi {
  return Parse.EventuallyQueue as unknown as QueueApi;
}

/**
 * On replay the SDK skips a queued update when the server's copy changed after `object.createdAt`, meant as
 * "after the edit was queued" but that field holds the object's creation date: every object updated once
 * since its creation would have its offline edits dropped. Stamping the queue time there restores the
 * intended rule (a newer server edit wins) for updates; creates carry no createdAt and are left alone.
 */
export async function stampQueuedUpdates(queue: QueueApi = eventuallyQueue()): Promise<void> {
  const items = await queue.getQueue();
  let changed = false;
  for (const item of items) {
    if (!item.id || item.action !== 'save') continue;
    const queuedAt = new Date(item.createdAt).toISOString();
    if (item.object['createdAt'] !== queuedAt) {
      item.object['createdAt'] = queuedAt;
      changed = true;
    }
  }
  if (changed) await queue.setQueue(items);
}

/** Objects created offline and still waiting in the queue, rebuilt so that lists can show them after a reload. */
export async function queuedCreates(className: string, queue: QueueApi = eventuallyQueue()): Promise<Parse.Object[]> {
  const items = await queue.getQueue();
  return items
    .filter((item) => item.action === 'save' && !item.id && item.className === className)
    .map((item) => {
      const object = new Parse.Object(className);
      object.set(Parse._decode('', item.object) as Record<string, unknown>);
      return object;
    });
}
