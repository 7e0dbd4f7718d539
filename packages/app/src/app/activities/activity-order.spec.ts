import { Activity } from '../core/models';
import { bucketOf, groupOpenActivities, timelineOrder } from './activity-order';

const now = new Date(2026, 4, 15, 12, 0);

function activity(id: string, patch: Partial<Activity> = {}): Activity {
  return {
    id,
    type: 'call',
    subject: id,
    description: '',
    dueDate: null,
    completedAt: null,
    related: null,
    createdBy: null,
    createdAt: new Date(2026, 4, 1),
    pending: false,
    ...patch,
  };
}

describe('bucketOf', () => {
  it('puts past days and past times today in overdue', () => {
    expect(bucketOf(activity('a', { dueDate: new Date(2026, 4, 14, 9) }), now)).toBe('overdue');
    expect(bucketOf(activity('b', { dueDate: new Date(2026, 4, 15, 9) }), now)).toBe('overdue');
  });

  it('keeps an all-day task due today in today', () => {
    expect(bucketOf(activity('c', { dueDate: new Date(2026, 4, 15) }), now)).toBe('today');
    expect(bucketOf(activity('d', { dueDate: new Date(2026, 4, 15, 16) }), now)).toBe('today');
  });

  it('sorts the rest into upcoming and someday', () => {
    expect(bucketOf(activity('e', { dueDate: new Date(2026, 4, 20) }), now)).toBe('upcoming');
    expect(bucketOf(activity('f'), now)).toBe('someday');
  });
});

describe('groupOpenActivities', () => {
  it('orders groups by urgency, skips empty groups and completed work', () => {
    const groups = groupOpenActivities(
      [
        activity('later', { dueDate: new Date(2026, 4, 30) }),
        activity('soon', { dueDate: new Date(2026, 4, 16) }),
        activity('old', { dueDate: new Date(2026, 4, 1) }),
        activity('older', { dueDate: new Date(2026, 3, 1) }),
        activity('done', { dueDate: new Date(2026, 4, 1), completedAt: new Date() }),
      ],
      now,
    );
    expect(groups.map((g) => g.bucket)).toEqual(['overdue', 'upcoming']);
    expect(groups[0].items.map((a) => a.id)).toEqual(['older', 'old']);
    expect(groups[1].items.map((a) => a.id)).toEqual(['soon', 'later']);
  });
});

describe('timelineOrder', () => {
  it('lists open scheduled work first, then history newest first', () => {
    const order = timelineOrder([
      activity('note-old', { type: 'note', createdAt: new Date(2026, 4, 1) }),
      activity('task', { dueDate: new Date(2026, 4, 20) }),
      activity('done', { dueDate: new Date(2026, 4, 2), completedAt: new Date(2026, 4, 3) }),
      activity('pending', { createdAt: null }),
    ]);
    expect(order.map((a) => a.id)).toEqual(['task', 'pending', 'done', 'note-old']);
  });
});
