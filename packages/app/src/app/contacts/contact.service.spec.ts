import { TestBed } from '@angular/core/testing';
import { fakeRest, savedReply } from '../../testing/fake-rest';
import { wireObject } from '../../testing/parse-fixtures';
import { ContactService } from './contact.service';

describe('ContactService', () => {
  let contacts: ContactService;

  beforeEach(() => (contacts = TestBed.inject(ContactService)));

  it('searches name and email case-insensitively, sorted, with a total', async () => {
    const calls = fakeRest(({ data }) =>
      data['count']
        ? { results: [], count: 42 }
        : { results: [wireObject('Contact', 'c1', { name: 'Dana', email: 'dana@acme.io' })] },
    );
    await contacts.list.search('Dan');
    const find = calls.find((call) => !call.data['count'])!;
    expect(find.data).toMatchObject({
      where: { $or: [{ name: { $regex: 'Dan', $options: 'i' } }, { email: { $regex: 'Dan', $options: 'i' } }] },
      order: 'name',
      include: 'company',
      limit: 50,
    });
    expect(contacts.list.items().map((c) => c.name)).toEqual(['Dana']);
    expect(contacts.list.total()).toBe(42);
  });

  it('sorts by another column on request', async () => {
    const calls = fakeRest(() => ({ results: [], count: 0 }));
    await contacts.list.sortBy({ field: 'updatedAt', direction: 'desc' });
    expect(calls.find((call) => !call.data['count'])!.data['order']).toBe('-updatedAt');
  });

  it('creates a contact with normalized fields and shows it in the list', async () => {
    const calls = fakeRest(() => savedReply('c7'));
    await contacts.create({ name: ' Lee ', email: 'LEE@X.IO ', phone: '', company: { id: 'co1', name: 'Acme' }, notes: '' });
    expect(calls[0].data).toEqual({
      name: 'Lee',
      email: 'lee@x.io',
      company: { __type: 'Pointer', className: 'Company', objectId: 'co1' },
    });
    expect(contacts.list.items()[0]).toMatchObject({ id: 'c7', name: 'Lee' });
  });
});
