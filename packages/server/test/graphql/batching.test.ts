/**
 * N+1 proof: pointer fields resolve through one DataLoader per request, so a page of deals with their contact,
 * the contact's company and the deal's company costs one storage query per class per level — the same for 5
 * deals as for 50. The storage adapter of a real running server is wrapped to count `find` calls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import type { FindSpec } from '../../src/storage/adapter.js';
import { START_TIMEOUT_MS, type TestServer } from '../helpers/server.js';
import { GraphQLClient } from './helpers.js';

let running: RunningServer;
let dataDir: string;
let gql: GraphQLClient;
const finds: string[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'crm-graphql-batching-'));
  running = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    appId: 'batching',
    masterKey: 'batching-master',
    logLevel: 'silent',
    crmPolicy: false,
  });
  const server: TestServer = {
    serverURL: running.serverURL,
    appId: 'batching',
    masterKey: 'batching-master',
    close: async () => {},
  };
  gql = new GraphQLClient(server).as({ master: true });
  const { storage } = running.services;
  const find = storage.find.bind(storage);
  storage.find = (spec: FindSpec) => {
    finds.push(spec.cls.className);
    return find(spec);
  };
  for (let i = 0; i < 50; i++) {
    const n = String(i).padStart(2, '0');
    await gql.data(
      `mutation { createDeal(input: {fields: {title: "Deal ${n}", stage: "qualified", amount: ${i}, expectedCloseDate: "2026-01-${String((i % 28) + 1).padStart(2, '0')}T00:00:00.000Z",
        company: {createAndLink: {name: "Company ${n}"}},
        contact: {createAndLink: {name: "Contact ${n}", company: {createAndLink: {name: "Employer ${n}"}}}}}}) { deal { objectId } } }`,
    );
  }
}, START_TIMEOUT_MS);

afterAll(async () => {
  await running?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function findsDuring(query: string): Promise<{ classes: string[]; data: any }> {
  finds.length = 0;
  const data = await gql.data(query);
  return { classes: [...finds].sort(), data };
}

const nested = (first: number) =>
  `{ deals(first: ${first}, order: [amount_ASC]) { edges { node { title contact { name company { name } } company { name } } } } }`;

describe('pointer batching', () => {
  it('50 deals with contact, contact.company and company: one find per class per level', async () => {
    const { classes, data } = await findsDuring(nested(50));
    expect(data.deals.edges).toHaveLength(50);
    expect(data.deals.edges[7].node).toEqual({
      title: 'Deal 07',
      contact: { name: 'Contact 07', company: { name: 'Employer 07' } },
      company: { name: 'Company 07' },
    });
    // Deal page; contacts and companies of level 1; the contacts' companies at level 2.
    expect(classes).toEqual(['Company', 'Company', 'Contact', 'Deal']);
  });

  it('the number of queries does not grow with the page', async () => {
    const five = await findsDuring(nested(5));
    const fifty = await findsDuring(nested(50));
    expect(five.classes).toEqual(fifty.classes);
  });

  it('the same object reached twice in a request is fetched once', async () => {
    const { classes } = await findsDuring(
      `{ a: deals(first: 50) { edges { node { company { name } } } } b: deals(first: 50) { edges { node { company { industry } } } } }`,
    );
    expect(classes).toEqual(['Company', 'Deal', 'Deal']);
  });

  it('the pipeline query is one storage query', async () => {
    const { classes, data } = await findsDuring(
      `{ deals(where: {stage: {equalTo: "qualified"}}, order: [expectedCloseDate_ASC], first: 50) { edges { node { objectId title amount stage expectedCloseDate } } } }`,
    );
    expect(data.deals.edges).toHaveLength(50);
    expect(classes).toEqual(['Deal']);
  });
});
