import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors/parse-error.js';
import { fromGlobalId, objectIdIn, pointerFromId, toGlobalId } from './global-id.js';

describe('global ids', () => {
  it('are base64 of "<className>:<objectId>" and decode back', () => {
    const id = toGlobalId('Deal', 'abcDEF1234');
    expect(Buffer.from(id, 'base64').toString()).toBe('Deal:abcDEF1234');
    expect(fromGlobalId(id)).toEqual({ className: 'Deal', objectId: 'abcDEF1234' });
    expect(fromGlobalId(toGlobalId('_User', 'x1'))).toEqual({ className: '_User', objectId: 'x1' });
  });

  it('a bare objectId is not taken for a global id', () => {
    for (const objectId of ['abcDEF1234', 'RGVhbDphYm', 'Q29tcGFueT']) expect(fromGlobalId(objectId)).toBeNull();
  });

  it('id arguments take either form; another class’s global id is "not found"', () => {
    expect(objectIdIn('Deal', 'abcDEF1234')).toBe('abcDEF1234');
    expect(objectIdIn('Deal', toGlobalId('Deal', 'abcDEF1234'))).toBe('abcDEF1234');
    expect(() => objectIdIn('Deal', toGlobalId('Contact', 'abcDEF1234'))).toThrow(expect.objectContaining({ code: 101 }));
    expect(() => objectIdIn('Deal', 'not an id!')).toThrow(ParseError);
  });

  it('links: a bare objectId needs a single target class', () => {
    expect(pointerFromId('c1', ['Company'])).toEqual({ __type: 'Pointer', className: 'Company', objectId: 'c1' });
    expect(pointerFromId(toGlobalId('Deal', 'd1'), ['Contact', 'Deal'])).toEqual({
      __type: 'Pointer',
      className: 'Deal',
      objectId: 'd1',
    });
    expect(() => pointerFromId('d1', ['Contact', 'Deal'])).toThrow(expect.objectContaining({ code: 106 }));
  });
});
