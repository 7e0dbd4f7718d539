/**
 * The pages in a real browser (Debian's Chromium through playwright-core): the playground signs in and sends
 * real requests, the schema page draws its diagram, and neither asks anything of another host. Screenshots
 * go to test/docs/screenshots/ for a person to look at. Without Chromium the suite is skipped.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { rawClient } from '../helpers/http.js';
import { START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`browser checks skipped: no Chromium at ${CHROMIUM} (apt-get install chromium)`);

const SCREENSHOTS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const USER = { username: 'pat', password: 'correct horse battery', email: 'pat@example.com' };

describe.skipIf(!hasChromium)('docs pages in Chromium', () => {
  let server: TestServer;
  let origin: string;
  let browser: Browser;
  const foreignRequests: string[] = [];

  const openPage = async (): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) foreignRequests.push(url);
    });
    return page;
  };

  beforeAll(async () => {
    server = await startTestServer();
    origin = new URL(server.serverURL).origin;
    // Under the CRM policy only a signed-in user may read deals: the playground has to sign in first.
    const api = rawClient(server);
    const signUp = await api.post('/users', USER);
    expect(signUp.status, signUp.text).toBe(201);
    const deal = await api.post(
      '/classes/Deal',
      { title: 'Acme renewal', stage: 'proposal', amount: 12000 },
      { headers: { 'X-Parse-Session-Token': signUp.body.sessionToken } },
    );
    expect(deal.status, deal.text).toBe(201);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the playground logs in and then sends GET /classes/Deal as that user', async () => {
    const page = await openPage();
    await page.goto(`${origin}/playground`);
    await page.waitForSelector('#operations-Deal-Deal_find', { timeout: 20_000 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'playground.png') });

    // The app id is pre-filled: the Authorize button shows as locked (authorized).
    expect(await page.evaluate(() => (window as any).ui.authSelectors.authorized().toJS())).toHaveProperty(
      'ApplicationId.value',
      server.appId,
    );

    const login = page.locator('#operations-Users_and_sessions-logIn');
    await login.locator('.opblock-summary').click();
    await login.locator('textarea.body-param__text').fill(JSON.stringify({ username: USER.username, password: USER.password }));
    const [loginResponse] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/parse/login')),
      login.locator('button.execute').click(),
    ]);
    expect(loginResponse.status()).toBe(200);

    // The token from the answer now sits in Authorize, beside the app id, where a pasted one would go.
    await page.locator('.auth-wrapper .authorize').click();
    const dialog = page.locator('.modal-ux');
    await dialog.waitFor();
    await dialog.screenshot({ path: path.join(SCREENSHOTS, 'playground-authorize.png') });
    expect(await page.evaluate(() => (window as any).ui.authSelectors.authorized().toJS())).toHaveProperty(
      'SessionToken.value',
      expect.stringMatching(/^r:/),
    );
    await dialog.locator('.close-modal').click();

    const find = page.locator('#operations-Deal-Deal_find');
    await find.locator('.opblock-summary').click();
    const [findResponse] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/parse/classes/Deal'),
      find.locator('button.execute').click(),
    ]);
    const sent = findResponse.request().headers();
    expect(sent['x-parse-application-id']).toBe(server.appId);
    expect(sent['x-parse-session-token']).toMatch(/^r:/);
    expect(findResponse.status()).toBe(200);
    expect((await findResponse.json()).results).toEqual([expect.objectContaining({ title: 'Acme renewal', stage: 'proposal' })]);
    const shownStatus = find.locator('.live-responses-table tbody .response-col_status').first();
    await shownStatus.waitFor();
    expect((await shownStatus.innerText()).trim()).toBe('200');
    await find.locator('.responses-wrapper').screenshot({ path: path.join(SCREENSHOTS, 'playground-find-deals.png') });
    await login.locator('.responses-wrapper').screenshot({ path: path.join(SCREENSHOTS, 'playground-login.png') });
    await page.close();
  }, 60_000);

  it('the schema page draws the ER diagram as SVG', async () => {
    const page = await openPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/docs/schema`);
    await page.waitForSelector('body[data-diagram]', { timeout: 30_000 });
    expect(await page.getAttribute('body', 'data-diagram')).toBe('rendered');
    const svg = page.locator('.er-diagram svg');
    await expect.poll(() => svg.count()).toBe(1);
    const labels = await svg.locator('text, span, p').allTextContents();
    for (const className of ['_User', 'Company', 'Contact', 'Deal', 'Activity', '_Role', '_Session'])
      expect(labels).toContain(className);
    const edgeLabels = await svg.locator('g.edgeLabel').allTextContents();
    expect(edgeLabels.filter((l) => l.trim() === 'relatedTo')).toHaveLength(2);
    expect(errors).toEqual([]);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'schema-top.png') });
    await page.locator('.diagram-frame').screenshot({ path: path.join(SCREENSHOTS, 'schema-diagram.png') });
    await page.locator('#class-Deal').screenshot({ path: path.join(SCREENSHOTS, 'schema-dictionary-deal.png') });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'schema.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('nothing was loaded from another host', () => {
    expect(foreignRequests).toEqual([]);
  });
});
