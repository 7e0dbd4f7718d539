import { escapeRegex, textSearch } from './query-utils';

describe('textSearch', () => {
  it('ORs a case-insensitive regex over each field, with the term escaped', () => {
    const json = textSearch('Contact', ['name', 'email'], ' a.b+ ').toJSON();
    expect(json.where).toEqual({
      $or: [{ name: { $regex: 'a\\.b\\+', $options: 'i' } }, { email: { $regex: 'a\\.b\\+', $options: 'i' } }],
    });
  });

  it('matches everything without a term', () => {
    expect(textSearch('Company', ['name'], '  ').toJSON().where).toEqual({});
  });

  it('uses a single clause for one field', () => {
    expect(textSearch('Company', ['name'], 'acme').toJSON().where).toEqual({ name: { $regex: 'acme', $options: 'i' } });
  });
});

describe('escapeRegex', () => {
  it('escapes every regex metacharacter', () => {
    expect(new RegExp(escapeRegex('(1+1)*[x]?')).test('(1+1)*[x]?')).toBe(true);
  });
});
