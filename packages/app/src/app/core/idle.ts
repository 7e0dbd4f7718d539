/** Runs a task when the browser has nothing better to do, but not later than `timeout` ms. */
export function whenIdle(task: () => void, timeout = 1000): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(task, { timeout });
  else setTimeout(task, 50);
}
