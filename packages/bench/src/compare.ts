/** Ratios ours / parse-server and the goals; a goal only counts as met on two valid rows. */
import type { Comparison, TargetResult } from './results.js';

export function compare(targets: TargetResult[]): Comparison[] {
  const ours = targets.find((t) => t.name === 'ours');
  const reference = targets.find((t) => t.name === 'parse-server');
  const ids = [ours, reference].find((t) => t && t.scenarios.length > 0)?.scenarios ?? [];
  return ids.map(({ id, label, goal }) => {
    const a = ours?.scenarios.find((s) => s.id === id);
    const b = reference?.scenarios.find((s) => s.id === id);
    const base: Comparison = { id, label, ...(goal !== undefined ? { goal } : {}) };
    if (!ours || !reference) return { ...base, note: 'single target run' };
    if (!a?.measurement || !b?.measurement) return { ...base, note: 'not measured on both targets' };
    const ratio = a.measurement.reqPerSec / b.measurement.reqPerSec;
    if (!a.valid || !b.valid) return { ...base, ratio, note: 'invalid row' };
    return { ...base, ratio, ...(goal !== undefined ? { met: ratio >= goal } : {}) };
  });
}
