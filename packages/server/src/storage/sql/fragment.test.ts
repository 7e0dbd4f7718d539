import { describe, expect, it } from 'vitest';
import { limitCount, render, sql } from './fragment.js';

describe('limitCount', () => {
  it('writes a validated integer into the text and keeps OFFSET a parameter', () => {
    expect(render(sql`SELECT 1 LIMIT ${limitCount(50)} OFFSET ${100}`, 'sqlite')).toEqual({
      text: 'SELECT 1 LIMIT 50 OFFSET ?',
      params: [100],
    });
    expect(render(sql`LIMIT ${limitCount(-1)}`, 'postgres').text).toBe('LIMIT -1');
  });

  it('refuses anything but a safe integer >= -1', () => {
    for (const bad of [1.5, -2, Number.NaN, Infinity, 2 ** 60, '5; DROP TABLE x' as unknown as number]) {
      expect(() => limitCount(bad)).toThrow(/invalid LIMIT/);
    }
  });
});
