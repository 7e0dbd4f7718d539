/**
 * Outbound webhooks against a local receiver: signatures, event selection (stage_changed only on a stage
 * change, nothing for unsubscribed events), retries with backoff, giving up, and the delivery log.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { createCast, startCrmServer, type Cast } from '../security/helpers/cast.js';
import { verifySignature } from '../../src/webhooks/signature.js';
import { Receiver, sleep, waitFor } from './receiver.js';

let server: TestServer;
let cast: Cast;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await Receiver.start();
  server = await startCrmServer({ webhookRetryBaseMs: 40, webhookMaxAttempts: 3, webhookTimeoutMs: 2000 });
  cast = await createCast(server);
}, START_TIMEOUT_MS);
afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

async function webhook(path: string, events: string[], extra: Record<string, unknown> = {}) {
  const res = await cast.admin.post('/classes/Webhook', { url: `${receiver.url}${path}`, events, ...extra });
  expect(res.status).toBe(201);
  const stored = await cast.admin.get(`/classes/Webhook/${res.body.objectId}`);
  return { id: res.body.objectId as string, secret: stored.body.secret as string };
}

async function deliveries(webhookId: string) {
  const res = await cast.admin.find('WebhookDelivery', {
    where: { webhook: { __type: 'Pointer', className: 'Webhook', objectId: webhookId } },
    order: 'createdAt',
  });
  expect(res.status).toBe(200);
  return res.body.results as Array<Record<string, any>>;
}

/** The receiver-side check documented in docs/CLOUD-CODE.md, written out with node:crypto only. */
function receiverAccepts(header: string, rawBody: string, secret: string): boolean {
  const fields = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  if (Math.abs(Date.now() / 1000 - Number(fields.t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${fields.t}.${rawBody}`).digest();
  const given = Buffer.from(fields.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('configuring webhooks', () => {
  it('only admins manage them; the secret is generated when absent', async () => {
    const hook = await webhook('/config', ['deal.created']);
    expect(hook.secret).toMatch(/^[0-9a-f]{48}$/);
    expect((await cast.rep1.post('/classes/Webhook', { url: `${receiver.url}/x`, events: ['*'] })).status).toBe(400);
    expect((await cast.rep1.find('Webhook')).body.code).toBe(119);
    expect((await cast.rep1.find('WebhookDelivery')).body.code).toBe(119);
    expect((await cast.mgr.get(`/classes/Webhook/${hook.id}`)).status).not.toBe(200);
    await cast.admin.put(`/classes/Webhook/${hook.id}`, { active: false });
  });

  it('refuses non-http(s) URLs and unknown event names with 142', async () => {
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url']) {
      const res = await cast.admin.post('/classes/Webhook', { url, events: ['deal.created'] });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(142);
    }
    for (const events of [[], ['deal.exploded'], 'deal.created', [42]]) {
      const res = await cast.admin.post('/classes/Webhook', { url: `${receiver.url}/x`, events });
      expect(res.body.code).toBe(142);
    }
  });
});

describe('delivering', () => {
  it('POSTs a signed event that the receiver can verify', async () => {
    const hook = await webhook('/signed', ['deal.created']);
    const dealId = await cast.rep1.create('Deal', { title: 'Signed deal', amount: 10 });
    const [request] = await waitFor(() => receiver.at('/signed').length > 0 && receiver.at('/signed'));
    const header = request.headers['x-crm-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(receiverAccepts(header, request.body, hook.secret)).toBe(true);
    expect(verifySignature(header, request.body, hook.secret)).toBe(true);
    expect(verifySignature(header, request.body, 'wrong-secret-wrong-secret')).toBe(false);
    expect(request.headers['x-crm-event']).toBe('deal.created');
    expect(request.json).toMatchObject({
      event: 'deal.created',
      className: 'Deal',
      id: request.headers['x-crm-delivery'],
      object: { objectId: dealId, title: 'Signed deal', amount: 10 },
    });
    expect(Date.parse(request.json.occurredAt)).toBeGreaterThan(0);
    await cast.admin.put(`/classes/Webhook/${hook.id}`, { active: false });
  });

  it('stage_changed fires only when the stage changes; unsubscribed events send nothing', async () => {
    const hook = await webhook('/stages', ['deal.stage_changed', 'contact.deleted']);
    const dealId = await cast.rep1.create('Deal', { title: 'Pipeline', stage: 'lead' });
    await cast.rep1.put(`/classes/Deal/${dealId}`, { amount: 99 });
    await cast.rep1.put(`/classes/Deal/${dealId}`, { stage: 'qualified' });
    const [event] = await waitFor(() => receiver.at('/stages').length > 0 && receiver.at('/stages'));
    expect(event.json).toMatchObject({
      event: 'deal.stage_changed',
      object: { objectId: dealId, stage: 'qualified', amount: 99 },
      previous: { stage: 'lead' },
    });
    const contactId = await cast.rep1.create('Contact', { name: 'Gone soon' });
    await cast.rep1.create('Company', { name: 'Not subscribed' });
    await cast.rep1.delete(`/classes/Contact/${contactId}`);
    await waitFor(() => receiver.at('/stages').length === 2);
    await sleep(200);
    const events = receiver.at('/stages').map((r) => r.json.event);
    expect(events).toEqual(['deal.stage_changed', 'contact.deleted']);
    expect(receiver.at('/stages')[1].json.object).toMatchObject({ objectId: contactId, name: 'Gone soon' });
    await cast.admin.put(`/classes/Webhook/${hook.id}`, { active: false });
  });

  it('retries after a 500 and records the delivery', async () => {
    receiver.script.set('/flaky', [500, 200]);
    const hook = await webhook('/flaky', ['company.created']);
    await cast.rep2.create('Company', { name: 'Flaky Inc' });
    await waitFor(async () => (await deliveries(hook.id))[0]?.status === 'succeeded');
    const [log] = await deliveries(hook.id);
    expect(log).toMatchObject({ event: 'company.created', status: 'succeeded', attempt: 2, statusCode: 200 });
    expect(log.error).toBeUndefined();
    expect(log.nextAttemptAt).toBeUndefined();
    expect(typeof log.durationMs).toBe('number');
    const attempts = receiver.at('/flaky');
    expect(attempts.map((r) => r.headers['x-crm-attempt'])).toEqual(['1', '2']);
    expect(attempts[0].json.id).toBe(attempts[1].json.id);
    expect(log.deliveryId).toBe(attempts[0].json.id);
    await cast.admin.put(`/classes/Webhook/${hook.id}`, { active: false });
  });

  it('gives up after the configured attempts and logs the failure', async () => {
    receiver.script.set('/down', [503]);
    const hook = await webhook('/down', ['company.created']);
    await cast.rep2.create('Company', { name: 'Down Inc' });
    await waitFor(async () => (await deliveries(hook.id))[0]?.status === 'failed');
    const [log] = await deliveries(hook.id);
    expect(log).toMatchObject({ status: 'failed', attempt: 3, statusCode: 503, error: 'HTTP 503' });
    expect(log.nextAttemptAt).toBeUndefined();
    await sleep(300);
    expect(receiver.at('/down')).toHaveLength(3);
    await cast.admin.put(`/classes/Webhook/${hook.id}`, { active: false });
  });

  it('a client error (4xx) is not retried; an unreachable receiver is', async () => {
    receiver.script.set('/gone', [410]);
    const gone = await webhook('/gone', ['company.created']);
    const closed = await cast.admin.post('/classes/Webhook', {
      url: 'http://127.0.0.1:9/nothing-listens',
      events: ['company.created'],
    });
    await cast.rep2.create('Company', { name: 'Edge cases' });
    await waitFor(async () => (await deliveries(gone.id))[0]?.status === 'failed');
    expect(await deliveries(gone.id)).toMatchObject([{ attempt: 1, statusCode: 410 }]);
    await waitFor(async () => (await deliveries(closed.body.objectId))[0]?.status === 'failed');
    const [log] = await deliveries(closed.body.objectId);
    expect(log.attempt).toBe(3);
    expect(log.statusCode).toBeUndefined();
    expect(log.error).toBeTruthy();
    await cast.admin.put(`/classes/Webhook/${gone.id}`, { active: false });
    await cast.admin.put(`/classes/Webhook/${closed.body.objectId}`, { active: false });
  });

  it('an inactive webhook receives nothing', async () => {
    const hook = await webhook('/inactive', ['company.created'], { active: false });
    await cast.rep2.create('Company', { name: 'Quiet Inc' });
    await sleep(300);
    expect(receiver.at('/inactive')).toHaveLength(0);
    expect(await deliveries(hook.id)).toHaveLength(0);
  });
});
