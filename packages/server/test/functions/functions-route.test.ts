/** `/parse/functions/:name` through the SDK (`Parse.Cloud.run`) and raw HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import { rawClient } from '../helpers/http.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  initParse(server);
}, START_TIMEOUT_MS);
afterAll(() => server?.close());

describe('cloud functions route', () => {
  it('answers an unknown function with 141 through the SDK', async () => {
    await expect(Parse.Cloud.run('noSuchFunction')).rejects.toMatchObject({
      code: 141,
      message: 'Invalid function: "noSuchFunction"',
    });
  });

  it('answers an unknown function with 400/141 over raw HTTP, GET and POST', async () => {
    const api = rawClient(server);
    for (const res of [await api.post('/functions/nope', {}), await api.get('/functions/nope')]) {
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ code: 141, error: 'Invalid function: "nope"' });
    }
  });
});
