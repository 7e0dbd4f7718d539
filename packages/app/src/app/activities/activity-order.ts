import { Activity } from '../core/models';
import { daysBetween } from '../shared/format';

export type Bucket = 'overdue' | 'today' | 'upcoming' | 'someday';

export interface ActivityGroup {
  bucket: Bucket;
  label: string;
  items: Activity[];
}

const LABELS: Record<Bucket, string> = { overdue: 'Overdue', today: 'Due today', upcoming: 'Upcoming', someday: 'No due date' };
const ORDER: Bucket[] = ['overdue', 'today', 'upcoming', 'someday'];

export function bucketOf(activity: Activity, now: Date): Bucket {
  if (!activity.dueDate) return 'someday';
  const days = daysBetween(now, activity.dueDate);
  if (days < 0 || (days === 0 && activity.dueDate.getTime() < now.getTime() && hasTime(activity.dueDate))) return 'overdue';
  return days === 0 ? 'today' : 'upcoming';
}

/** A due date at midnight means "that day", not "at 00:00": it is not overdue until the day is over. */
function hasTime(date: Date): boolean {
  return date.getHours() !== 0 || date.getMinutes() !== 0;
}

/**
 * Open work in the order it needs attention: overdue first (oldest first), then today, then the rest.
 * `keep` can hold on to items just ticked off, so they do not jump away under the pointer.
 */
export function groupOpenActivities(
  activities: readonly Activity[],
  now: Date,
  keep: (activity: Activity) => boolean = (activity) => !activity.completedAt,
): ActivityGroup[] {
  const groups = new Map<Bucket, Activity[]>(ORDER.map((bucket) => [bucket, []]));
  for (const activity of activities) if (keep(activity)) groups.get(bucketOf(activity, now))!.push(activity);
  const byDue = (a: Activity, b: Activity) => (a.dueDate?.getTime() ?? 0) - (b.dueDate?.getTime() ?? 0);
  const byNewest = (a: Activity, b: Activity) => (b.createdAt?.getTime() ?? Infinity) - (a.createdAt?.getTime() ?? Infinity);
  return ORDER.map((bucket) => ({
    bucket,
    label: LABELS[bucket],
    items: groups.get(bucket)!.sort(bucket === 'someday' ? byNewest : byDue),
  })).filter((group) => group.items.length > 0);
}

/** Timelines read newest first; open tasks with a due date sit at the top, ordered by when they are due. */
export function timelineOrder(activities: readonly Activity[]): Activity[] {
  const open = activities.filter((a) => !a.completedAt && a.dueDate).sort((a, b) => a.dueDate!.getTime() - b.dueDate!.getTime());
  const rest = activities
    .filter((a) => a.completedAt || !a.dueDate)
    .sort(
      (a, b) =>
        (b.completedAt ?? b.createdAt ?? new Date(8.64e15)).getTime() -
        (a.completedAt ?? a.createdAt ?? new Date(8.64e15)).getTime(),
    );
  return [...open, ...rest];
}
