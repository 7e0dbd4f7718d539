import { describe, expect, it } from 'vitest';
import { compileClass } from '../schema/compiled.js';
import type { ClassSchema, FieldDef } from '../schema/types.js';
import { buildModel } from './model.js';

const cls = (className: string, fields: Record<string, FieldDef> = {}) =>
  compileClass({ className, fields, classLevelPermissions: {}, indexes: {} } satisfies ClassSchema);

describe('which classes and fields GraphQL shows', () => {
  it('classes whose names clash with the fixed schema or each other are left out', () => {
    const model = buildModel(
      [cls('Deal'), cls('deal'), cls('PageInfo'), cls('Health'), cls('_Idempotency'), cls('DealConnection')],
      [],
    );
    expect([...model.classes.keys()]).toEqual(['Deal']);
  });

  it('a field named id is left out; pointers to left-out classes are dropped', () => {
    const model = buildModel(
      [
        cls('Deal', { id: { type: 'String' }, owner: { type: 'Pointer', targetClass: 'PageInfo' }, title: { type: 'String' } }),
        cls('PageInfo'),
      ],
      [],
    );
    expect(model.classes.get('Deal')!.fields.map((f) => f.name)).toEqual(['title']);
  });

  it('required fields are non-null unless some caller may not see them', () => {
    const deal = cls('Deal', { title: { type: 'String', required: true }, secret: { type: 'String', required: true } });
    const hidden = compileClass({ ...deal.schema, classLevelPermissions: { protectedFields: { '*': ['secret'] } } });
    const fields = buildModel([hidden], []).classes.get('Deal')!.field;
    expect(fields.get('title')!.nonNull).toBe(true);
    expect(fields.get('secret')!.nonNull).toBe(false);
  });

  it('polymorphic pointers keep their exposed targets; untyped ones may hold any class', () => {
    const model = buildModel(
      [
        cls('Activity', { relatedTo: { type: 'Pointer', targetClasses: ['Contact', 'Deal'] }, anything: { type: 'Pointer' } }),
        cls('Contact'),
        cls('Deal'),
      ],
      ['Activity'],
    );
    const activity = model.classes.get('Activity')!;
    expect(activity.live).toBe(true);
    expect(activity.field.get('relatedTo')!.kind).toEqual({
      kind: 'pointer',
      targets: ['Contact', 'Deal'],
      polymorphic: true,
      anyClass: false,
    });
    expect(activity.field.get('anything')!.kind).toMatchObject({ kind: 'pointer', polymorphic: true, anyClass: true });
  });
});
