/**
 * `crm import` of a MongoDB-shaped export as Parse Server / Back4app produce it (hand-written below):
 * `_id`, `_created_at`, `_p_` pointers, `_acl` or only `_rperm`/`_wperm`, Extended JSON dates and numbers,
 * bcrypt hashes, mongoexport's one-document-per-line files. After the import the REST API serves it with
 * the same owners, permissions and passwords.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmOk, dataDirArgs, onDataDir, removeTempDirs, serveDataDir, tempDir } from './harness.js';
import { MASTER } from '../../src/security/auth.js';
import { fromMongoDocument } from '../../src/cli/mongo-format.js';

/** bcrypt("mongo-pass-1"), as Parse stores it. */
const HASH = '$2b$10$cGVFV.bIOmYMn8F3tZn.Oe2LjfAmH9KbS.Mexn.N4wtufCLrs/OvG';
const created = { $date: '2024-03-01T09:30:00.000Z' };
const updated = { $date: '2024-04-02T10:00:00.000Z' };
const owned = (userId: string) => ({
  _rperm: [userId, 'role:managers'],
  _wperm: [userId],
  _acl: { [userId]: { r: true, w: true }, 'role:managers': { r: true } },
});

const FIXTURE: Record<string, unknown> = {
  '_SCHEMA.json': [
    {
      _id: 'Ticket',
      objectId: 'string',
      createdAt: 'date',
      updatedAt: 'date',
      subject: 'string',
      due: 'date',
      meta: 'object',
      deal: '*Deal',
      _metadata: { fields_options: { subject: { required: true } } },
    },
    {
      _id: 'Deal',
      objectId: 'string',
      title: 'string',
      amount: 'number',
      stage: 'string',
      company: '*Company',
      assignedTo: '*_User',
      expectedCloseDate: 'date',
    },
  ],
  // mongoexport's default: one document per line.
  '_User.json': [
    {
      _id: 'uRep01',
      username: 'rosa',
      email: 'rosa@example.com',
      emailVerified: true,
      _hashed_password: HASH,
      _created_at: created,
      _updated_at: updated,
      _email_verify_token: 'x',
      _perishable_token: 'y',
      _auth_data_github: { id: '42' },
      _rperm: ['*', 'uRep01'],
      _wperm: ['uRep01'],
      _acl: { '*': { r: true }, uRep01: { r: true, w: true } },
    },
    {
      _id: 'uMgr01',
      username: 'mgr',
      email: 'mgr@example.com',
      _hashed_password: HASH,
      _created_at: created,
      _updated_at: updated,
      _acl: { '*': { r: true }, uMgr01: { r: true, w: true } },
    },
  ]
    .map((doc) => JSON.stringify(doc))
    .join('\n'),
  '_Role.json': [
    { _id: 'rMgrs01', name: 'managers', _created_at: created, _updated_at: created, _rperm: ['*'], _wperm: ['role:admins'] },
  ],
  '_Join:users:_Role.json': [{ _id: 'j1', owningId: 'rMgrs01', relatedId: 'uMgr01' }],
  '_Session.json': [{ _id: 's1', _session_token: 'r:abc', _p_user: '_User$uRep01', _created_at: created }],
  '_Installation.json': [{ _id: 'i1', deviceType: 'ios' }],
  'Company.json': {
    results: [
      {
        _id: 'co1',
        name: 'Acme Corp',
        industry: 'Software',
        _p_createdBy: '_User$uRep01',
        _created_at: created,
        _updated_at: updated,
        _rperm: ['uRep01', 'role:managers'],
        _wperm: ['uRep01'],
      },
    ],
  },
  'Contact.json': {
    results: [
      {
        _id: 'ct1',
        name: 'Wile Coyote',
        email: 'wile@acme.example',
        _p_company: 'Company$co1',
        _p_createdBy: '_User$uRep01',
        _created_at: created,
        _updated_at: updated,
        ...owned('uRep01'),
      },
    ],
  },
  'Deal.json': {
    results: [
      {
        _id: 'd1',
        title: 'Acme rockets',
        amount: { $numberInt: '5000' },
        stage: 'proposal',
        _p_company: 'Company$co1',
        _p_assignedTo: '_User$uRep01',
        expectedCloseDate: { $date: '2025-07-01T00:00:00.000Z' },
        _created_at: created,
        _updated_at: updated,
        ...owned('uRep01'),
      },
      {
        _id: 'd2',
        title: 'Manager pet deal',
        amount: { $numberDouble: '1234.5' },
        stage: 'lead',
        _p_assignedTo: '_User$uMgr01',
        _created_at: created,
        _updated_at: updated,
        ...owned('uMgr01'),
      },
    ],
  },
  'Activity.json': {
    results: [
      {
        _id: 'a1',
        type: 'call',
        subject: 'Discuss rockets',
        _p_relatedTo: 'Deal$d1',
        _p_createdBy: '_User$uRep01',
        dueDate: { $date: { $numberLong: '1751328000000' } },
        _created_at: created,
        _updated_at: updated,
        ...owned('uRep01'),
      },
    ],
  },
  'Ticket.json': {
    results: [
      {
        _id: 't1',
        subject: 'Onboarding',
        due: '2025-08-01T10:00:00.000Z',
        meta: { priority: 2, labels: ['new'] },
        _p_deal: 'Deal$d1',
        _created_at: created,
        _updated_at: updated,
      },
    ],
  },
};

let dir: string;
let importOutput: { stdout: string; stderr: string };

beforeAll(async () => {
  const exportDir = path.join(tempDir(), 'back4app-export');
  mkdirSync(exportDir);
  for (const [name, content] of Object.entries(FIXTURE))
    writeFileSync(path.join(exportDir, name), typeof content === 'string' ? content : JSON.stringify(content));
  dir = tempDir();
  importOutput = await crmOk([...dataDirArgs(dir), 'import', exportDir]);
});

afterAll(removeTempDirs);

describe('import of a MongoDB-shaped export', () => {
  it('skips sessions and unknown system classes, and says so', () => {
    expect(importOutput.stderr).toMatch(/skipping _Session.json: sessions are not portable/);
    expect(importOutput.stderr).toMatch(/skipping _Installation.json/);
    expect(importOutput.stdout).toMatch(/_Role: imported 1 of 1 \(in place of the empty built-in role managers\)/);
  });

  it('keeps ids, timestamps, pointers (polymorphic too), dates, numbers and ACLs', async () => {
    await onDataDir(dir, async (services) => {
      const deal = await services.objects.get(MASTER, 'Deal', 'd1', {});
      expect(deal).toMatchObject({
        objectId: 'd1',
        createdAt: '2024-03-01T09:30:00.000Z',
        updatedAt: '2024-04-02T10:00:00.000Z',
        amount: 5000,
        company: { __type: 'Pointer', className: 'Company', objectId: 'co1' },
        assignedTo: { __type: 'Pointer', className: '_User', objectId: 'uRep01' },
        expectedCloseDate: { __type: 'Date', iso: '2025-07-01T00:00:00.000Z' },
        ACL: { uRep01: { read: true, write: true }, 'role:managers': { read: true } },
      });
      expect((await services.objects.get(MASTER, 'Deal', 'd2', {})).amount).toBe(1234.5);
      const activity = await services.objects.get(MASTER, 'Activity', 'a1', {});
      expect(activity.relatedTo).toEqual({ __type: 'Pointer', className: 'Deal', objectId: 'd1' });
      expect(activity.dueDate).toEqual({ __type: 'Date', iso: '2025-07-01T00:00:00.000Z' });
      // Only _rperm/_wperm in the document: the ACL is rebuilt from them.
      expect((await services.objects.get(MASTER, 'Company', 'co1', {})).ACL).toEqual({
        uRep01: { read: true, write: true },
        'role:managers': { read: true },
      });
      const ticket = await services.objects.get(MASTER, 'Ticket', 't1', {});
      expect(ticket).toMatchObject({
        due: { __type: 'Date', iso: '2025-08-01T10:00:00.000Z' },
        meta: { priority: 2, labels: ['new'] },
        deal: { className: 'Deal', objectId: 'd1' },
      });
      const user = await services.objects.get(MASTER, '_User', 'uRep01', {});
      expect(user).toMatchObject({ username: 'rosa', emailVerified: true, authData: { github: { id: '42' } } });
      expect((await services.objects.find(MASTER, '_Session', { count: 1, limit: 0 })).count).toBe(0);
    });
  });

  it('through the REST API: passwords work, the rep sees their deal only, the manager (joined by _Join) sees both', async () => {
    const api = await serveDataDir(dir);
    try {
      const rep = await api.login('rosa', 'mongo-pass-1');
      const repDeals = await api.call('GET', '/classes/Deal', { token: rep });
      expect(repDeals.body.results.map((d: { objectId: string }) => d.objectId)).toEqual(['d1']);
      const manager = await api.login('mgr', 'mongo-pass-1');
      const all = await api.call('GET', '/classes/Deal', { token: manager, query: { order: 'objectId' } });
      expect(all.body.results.map((d: { objectId: string }) => d.objectId)).toEqual(['d1', 'd2']);
      const include = await api.call('GET', '/classes/Contact', { token: rep, query: { include: 'company' } });
      expect(include.body.results[0].company.name).toBe('Acme Corp');
    } finally {
      await api.close();
    }
  });

  it('converts one document without the schema: Extended JSON, pointers, ACL flags, internal keys dropped', () => {
    expect(
      fromMongoDocument({
        _id: 'x1',
        _p_owner: '_User$u1',
        n: { $numberLong: '7' },
        when: { $date: '2020-01-01T00:00:00Z' },
        _acl: { u1: { r: true, w: false } },
        _session_token: 'secret',
        _tombstone: true,
      }),
    ).toEqual({
      objectId: 'x1',
      owner: { __type: 'Pointer', className: '_User', objectId: 'u1' },
      n: 7,
      when: { __type: 'Date', iso: '2020-01-01T00:00:00.000Z' },
      ACL: { u1: { read: true } },
    });
  });
});
