const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const compactMoney = new Intl.NumberFormat(undefined, {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const longDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', year: 'numeric' });
const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });

export function formatMoney(value: number | null | undefined): string {
  return value == null ? '—' : money.format(value);
}

/** Column totals: "$1.2M" reads faster than "$1,234,567" in a narrow header. */
export function formatCompactMoney(value: number): string {
  return value >= 10_000 ? compactMoney.format(value) : money.format(value);
}

export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

const DAY = 86_400_000;

export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfDay(to).getTime() - startOfDay(from).getTime()) / DAY);
}

/** "Today", "Tomorrow", "3 days ago", else a date; the year only when it is not this year. */
export function formatDay(date: Date | null | undefined, now = new Date()): string {
  if (!date) return '';
  const days = daysBetween(now, date);
  if (days === 0) return 'Today';
  if (days === 1) return 'Tomorrow';
  if (days === -1) return 'Yesterday';
  if (days < 0 && days > -7) return `${-days} days ago`;
  return date.getFullYear() === now.getFullYear() ? shortDate.format(date) : longDate.format(date);
}

/** For narrow places (cards): only today, tomorrow and yesterday are named, everything else is a date. */
export function formatShortDay(date: Date, now = new Date()): string {
  const days = daysBetween(now, date);
  if (days >= -1 && days <= 1) return formatDay(date, now);
  return date.getFullYear() === now.getFullYear() ? shortDate.format(date) : longDate.format(date);
}

/** For use after a word: "due tomorrow", "due Mar 3". */
export function formatDayInline(date: Date | null | undefined, now = new Date()): string {
  const day = formatDay(date, now);
  return /^(Today|Tomorrow|Yesterday)$/.test(day) ? day.toLowerCase() : day;
}

/** "1 deal", "3 deals"; irregular plurals are passed in. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function formatDateTime(date: Date | null | undefined, now = new Date()): string {
  if (!date) return '';
  return `${formatDay(date, now)}, ${time.format(date)}`;
}

export function formatLongDate(date: Date | null | undefined): string {
  return date ? longDate.format(date) : '';
}
