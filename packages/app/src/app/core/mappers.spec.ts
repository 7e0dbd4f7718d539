import Parse from 'parse';
import { serverObject } from '../../testing/parse-fixtures';
import { toActivity, toContact, toDeal } from './mappers';

const saved = serverObject;

describe('toDeal', () => {
  it('maps fields and included pointers', () => {
    const company = saved('Company', 'c1', { name: 'Acme' });
    const owner = saved('_User', 'u1', { username: 'ana' });
    const deal = saved('Deal', 'd1', {
      title: 'Big one',
      amount: 1200,
      stage: 'proposal',
      company,
      assignedTo: owner,
      expectedCloseDate: new Date('2026-03-01'),
    });
    expect(toDeal(deal)).toMatchObject({
      id: 'd1',
      title: 'Big one',
      amount: 1200,
      stage: 'proposal',
      company: { id: 'c1', name: 'Acme' },
      owner: { id: 'u1', name: 'ana' },
      contact: null,
      pending: false,
    });
  });

  it('falls back to the lead stage and keeps a known name for a bare pointer', () => {
    const deal = saved('Deal', 'd2', {
      title: 'x',
      stage: 'bogus',
      company: Parse.Object.extend('Company').createWithoutData('c9'),
    });
    const mapped = toDeal(deal, { company: { id: 'c9', name: 'Known Co' } } as never);
    expect(mapped.stage).toBe('lead');
    expect(mapped.company).toEqual({ id: 'c9', name: 'Known Co' });
  });

  it('marks unsaved deals as pending with a local id', () => {
    const deal = new Parse.Object('Deal');
    deal.set('title', 'offline');
    const mapped = toDeal(deal);
    expect(mapped.pending).toBe(true);
    expect(mapped.id).toMatch(/^local/);
  });
});

describe('toActivity', () => {
  it('names the related deal or contact', () => {
    const contact = saved('Contact', 'p1', { name: 'Pat' });
    const activity = saved('Activity', 'a1', { type: 'call', subject: 'Intro', relatedTo: contact });
    expect(toActivity(activity).related).toEqual({ id: 'p1', name: 'Pat', className: 'Contact' });
  });

  it('defaults an unknown type to note', () => {
    expect(toActivity(saved('Activity', 'a2', { type: 'fax' })).type).toBe('note');
  });
});

describe('toContact', () => {
  it('maps the company pointer', () => {
    const contact = saved('Contact', 'p2', { name: 'Lee', email: 'lee@x.io', company: saved('Company', 'c2', { name: 'Beta' }) });
    expect(toContact(contact)).toMatchObject({ name: 'Lee', email: 'lee@x.io', company: { id: 'c2', name: 'Beta' } });
  });
});
