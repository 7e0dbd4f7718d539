import { describe, expect, it } from 'vitest';
import { newObjectId } from './ids.js';

describe('newObjectId', () => {
  it("has Parse's shape and does not repeat across many draws (the byte pool refills)", () => {
    const ids = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const id = newObjectId();
      expect(id).toMatch(/^[A-Za-z0-9]{10}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(5_000);
    expect(newObjectId(24)).toMatch(/^[A-Za-z0-9]{24}$/);
  });

  it('uses every character of the alphabet about equally', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 6_200; i++) for (const c of newObjectId()) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    for (const n of counts.values()) expect(n).toBeGreaterThan(700); // expected 1,000 each
  });
});
