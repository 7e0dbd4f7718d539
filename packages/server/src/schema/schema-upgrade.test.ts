import { describe, expect, it } from 'vitest';
import { withMissingBuiltIns } from './schema-registry.js';
import type { ClassSchema } from './types.js';

const clp = {} as ClassSchema['classLevelPermissions'];

describe('built-in class upgrades', () => {
  const stored: ClassSchema = {
    className: 'Deal',
    fields: { title: { type: 'String' }, position: { type: 'String' } },
    classLevelPermissions: clp,
    indexes: { mine: { title: 1 } },
  };

  it('adds missing fields and indexes, keeps every stored definition', () => {
    const builtIn: ClassSchema = {
      className: 'Deal',
      fields: { title: { type: 'String', required: true }, position: { type: 'Number' }, stageChangedAt: { type: 'Date' } },
      classLevelPermissions: clp,
      indexes: { stage_position: { position: 1 }, by_changed: { stageChangedAt: 1 }, broken: { nowhere: 1 } },
    };
    const next = withMissingBuiltIns(stored, builtIn)!;
    expect(next.fields).toEqual({ title: { type: 'String' }, position: { type: 'String' }, stageChangedAt: { type: 'Date' } });
    expect(Object.keys(next.indexes)).toEqual(['mine', 'stage_position', 'by_changed']);
  });

  it('changes nothing when the stored class already has everything', () => {
    expect(withMissingBuiltIns(stored, { ...stored, indexes: {} })).toBeNull();
  });
});
