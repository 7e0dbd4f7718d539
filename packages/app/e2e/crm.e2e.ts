import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dragTo, launchBrowser, newContext, screenshot } from './harness/browser';
import { eventually } from './harness/eventually';
import { APP_DIR } from './harness/paths';
import { initialScriptBytes } from './harness/perf';
import { Rest, pointerTo } from './harness/rest';
import { Stack, startStack } from './harness/stack';

const PASSWORD = 'correct-horse-battery';
const DEAL = 'Acme Corp — 50 seats';
const BIG_BOARD = 1000;

let stack: Stack;
let rest: Rest;
let browser: Browser;
let admin: { context: BrowserContext; page: Page; id?: string };
let manager: { context: BrowserContext; page: Page; id: string };
let dealId: string;
const figures: Record<string, unknown> = {};

const column = (page: Page, stage: string) => page.locator(`.cards[data-stage="${stage}"]`);
const card = (page: Page, stage: string, title: string) => column(page, stage).locator('crm-deal-card', { hasText: title });

async function dragCard(page: Page, title: string, from: string, to: string): Promise<void> {
  const source = card(page, from, title);
  await source.waitFor();
  const box = (await source.boundingBox())!;
  const target = (await column(page, to).boundingBox())!;
  // Grab the card by its lower edge, away from the title link and the menu button.
  await dragTo(
    page,
    { x: box.x + box.width / 2, y: box.y + box.height - 10 },
    { x: target.x + target.width / 2, y: target.y + 40 },
  );
  await card(page, to, title).waitFor({ timeout: 5000 });
}

async function serverStage(title: string): Promise<string> {
  const [deal] = await rest.find<{ stage: string }>('Deal', { title });
  return deal?.stage;
}

const nav = (page: Page, item: string) => page.getByRole('navigation').getByRole('link', { name: item, exact: true }).click();

/** Opens a dialog and waits until it has focused its first field, so typing cannot land in the wrong one. */
async function openDialog(page: Page, button: string) {
  await page.getByRole('button', { name: button }).first().click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await page.waitForFunction(
    () => !!document.activeElement?.closest('mat-dialog-container') && document.activeElement?.tagName === 'INPUT',
  );
  return dialog;
}

async function pick(page: Page, scope: ReturnType<Page['locator']>, label: string, text: string, option: string | RegExp) {
  const input = scope.getByRole('combobox', { name: label, exact: true });
  await input.click();
  await input.fill(text);
  await page.getByRole('option', { name: option }).first().click();
}

beforeAll(async () => {
  stack = await startStack();
  rest = new Rest(stack.apiURL, stack.masterKey);
  browser = await launchBrowser();
  const context = await newContext(browser, stack.baseURL);
  admin = { context, page: await context.newPage() };
  admin.page.on('pageerror', (error) => console.error('[admin page error]', error.message));
  admin.page.on('console', (message) => message.type() === 'error' && console.error('[admin console]', message.text()));
});

afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return;
  const slug = task.name.replace(/\W+/g, '-').slice(0, 40);
  await screenshot(admin.page, `failed-${slug}-admin`).catch(() => undefined);
  if (manager) await screenshot(manager.page, `failed-${slug}-manager`).catch(() => undefined);
});

afterAll(async () => {
  mkdirSync(path.join(APP_DIR, 'e2e/results'), { recursive: true });
  writeFileSync(path.join(APP_DIR, 'e2e/results/figures.json'), JSON.stringify(figures, null, 2));
  console.log('figures', JSON.stringify(figures));
  await browser?.close();
  await stack?.stop();
});

describe('a sales team on the CRM', () => {
  it('signs up the first user, who lands on an empty pipeline', async () => {
    const { page } = admin;
    await page.goto('/signup');
    figures['initialScripts'] = await initialScriptBytes(page);
    await page.getByLabel('Username').fill('alex');
    await page.getByLabel('Work email').fill('alex@example.com');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await screenshot(page, '01-signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Your pipeline is empty').waitFor();
    expect(new URL(page.url()).pathname).toBe('/pipeline');
    await page.getByText('Online', { exact: true }).waitFor();
    await screenshot(page, '02-pipeline-empty');
    const [user] = await rest.find<{ objectId: string }>('_User', { username: 'alex' });
    admin.id = user.objectId;
  });

  it('creates a company, a contact and a deal', async () => {
    const { page } = admin;
    await nav(page, 'Companies');
    await page.getByText('No companies yet').waitFor();
    const companyDialog = await openDialog(page, 'New company');
    await companyDialog.getByLabel('Company name').fill('Acme Corp');
    await companyDialog.getByLabel('Website').fill('acme.example');
    await companyDialog.getByLabel('Industry').fill('Manuf');
    await page.getByRole('option', { name: 'Manufacturing' }).click();
    await companyDialog.getByLabel('Address').fill('1 Main Street, Springfield');
    await screenshot(page, '03-company-dialog');
    await companyDialog.getByRole('button', { name: 'Create company' }).click();
    await page.getByRole('cell', { name: 'Acme Corp', exact: true }).waitFor();
    await screenshot(page, '04-companies');

    await nav(page, 'Contacts');
    const contactDialog = await openDialog(page, 'New contact');
    await contactDialog.getByLabel('Full name').fill('Dana Scully');
    await contactDialog.getByLabel('Email').fill('dana@acme.example');
    await contactDialog.getByLabel('Phone').fill('+1 555 0100');
    await pick(page, contactDialog, 'Company', 'acme', 'Acme Corp');
    await contactDialog.getByRole('button', { name: 'Create contact' }).click();
    await page.getByRole('cell', { name: 'Dana Scully', exact: true }).waitFor();
    await screenshot(page, '05-contacts');

    await nav(page, 'Pipeline');
    const dealDialog = await openDialog(page, 'New deal');
    await dealDialog.getByLabel('Deal title').fill(DEAL);
    await dealDialog.getByLabel('Amount').fill('24000');
    await pick(page, dealDialog, 'Company', 'acme', 'Acme Corp');
    await pick(page, dealDialog, 'Contact', 'dana', /Dana Scully/);
    await dealDialog.getByLabel('Expected close').fill(new Date(Date.now() + 20 * 86_400_000).toLocaleDateString('en-US'));
    await screenshot(page, '06-new-deal-dialog');
    await dealDialog.getByRole('button', { name: 'Create deal' }).click();
    await card(page, 'lead', DEAL).waitFor();

    const [deal] = await rest.find<{
      objectId: string;
      company: { objectId: string };
      contact: { objectId: string };
      assignedTo: { objectId: string };
      amount: number;
    }>('Deal', { title: DEAL });
    expect(deal.amount).toBe(24000);
    expect(deal.assignedTo.objectId).toBe(admin.id);
    expect(deal.company).toBeTruthy();
    expect(deal.contact).toBeTruthy();
    dealId = deal.objectId;
  });

  it('drags the deal across stages and the server follows', async () => {
    const { page } = admin;
    await dragCard(page, DEAL, 'lead', 'qualified');
    await eventually(async () => expect(await serverStage(DEAL)).toBe('qualified'));
    await dragCard(page, DEAL, 'qualified', 'proposal');
    await eventually(async () => expect(await serverStage(DEAL)).toBe('proposal'));
    await screenshot(page, '07-pipeline-moved');
  });

  it('shows the move live to a manager in another browser', async () => {
    const morgan = await rest.signUp('morgan', PASSWORD);
    await rest.addToRole('managers', morgan.objectId);
    const context = await newContext(browser, stack.baseURL);
    manager = { context, page: await context.newPage(), id: morgan.objectId };
    manager.page.on('pageerror', (error) => console.error('[manager page error]', error.message));
    await manager.page.goto('/login');
    await manager.page.getByLabel('Username').fill('morgan');
    await manager.page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await manager.page.getByRole('button', { name: 'Sign in' }).click();
    await card(manager.page, 'proposal', DEAL).waitFor();
    // The badge shows once the server has confirmed the subscription that must deliver the change.
    await manager.page.getByTestId('live-badge').waitFor();

    await dragCard(admin.page, DEAL, 'proposal', 'negotiation');
    await card(manager.page, 'negotiation', DEAL).waitFor({ timeout: 10_000 });
    expect(await card(manager.page, 'proposal', DEAL).count()).toBe(0);
    await screenshot(manager.page, '08-manager-sees-move-live');
  });

  it('reorders a card within its column at the midpoint of its neighbours, and shows the stage history', async () => {
    const { page } = admin;
    const owned = {
      stage: 'negotiation',
      assignedTo: pointerTo('_User', admin.id!),
      ACL: {
        [admin.id!]: { read: true, write: true },
        'role:managers': { read: true },
        'role:admins': { read: true, write: true },
      },
    };
    await rest.createMany('Deal', [
      { title: 'Globex renewal', amount: 5000, position: 1024, ...owned },
      { title: 'Initech pilot', amount: 8000, position: 2048, ...owned },
    ]);
    await rest.request('PUT', `classes/Deal/${dealId}`, { position: 3072 });
    await page.goto('/pipeline');
    const titles = () => column(page, 'negotiation').locator('crm-deal-card .title').allTextContents();
    await eventually(async () => expect(await titles()).toEqual(['Globex renewal', 'Initech pilot', DEAL]));

    // Drop the last card onto the upper part of the middle one: it lands between the first two.
    const source = (await card(page, 'negotiation', DEAL).boundingBox())!;
    const middle = (await card(page, 'negotiation', 'Initech pilot').boundingBox())!;
    await dragTo(
      page,
      { x: source.x + source.width / 2, y: source.y + source.height - 10 },
      { x: middle.x + middle.width / 2, y: middle.y + 8 },
    );
    await eventually(async () => expect(await titles()).toEqual(['Globex renewal', DEAL, 'Initech pilot']));
    await eventually(async () => {
      const [saved] = await rest.find<{ position: number; stage: string }>('Deal', { title: DEAL });
      expect(saved).toMatchObject({ position: 1536, stage: 'negotiation' });
    });
    await expect(column(page, 'negotiation').locator('..').getByTestId('column-weighted').textContent()).resolves.toMatch(/\$/);
    await screenshot(page, '08b-pipeline-reordered');

    await card(page, 'negotiation', DEAL).getByRole('link', { name: DEAL }).click();
    const history = page.getByTestId('stage-history');
    await history.waitFor();
    await eventually(async () =>
      expect((await history.locator('li .move').allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
        'Created in Lead',
        'Lead → Qualified',
        'Qualified → Proposal',
        'Proposal → Negotiation',
      ]),
    );
    await screenshot(page, '08c-deal-stage-history');
    await nav(page, 'Pipeline');
    await card(page, 'negotiation', DEAL).waitFor();
  });

  it('logs a call on the deal and completes it', async () => {
    const { page } = admin;
    await card(page, 'negotiation', DEAL).getByRole('link', { name: DEAL }).click();
    await page.getByRole('heading', { name: DEAL }).waitFor();
    await page.getByLabel('Subject').fill('Discovery call with Dana');
    await page.getByLabel('Details (optional)').fill('Budget approved, needs security review.');
    await page.getByRole('button', { name: 'Log call' }).click();
    const item = page.locator('crm-activity-item', { hasText: 'Discovery call with Dana' });
    await item.waitFor();
    await item.getByRole('checkbox').check();
    await eventually(async () => {
      const [activity] = await rest.find<{ completedAt?: unknown; relatedTo: { objectId: string; className: string } }>(
        'Activity',
        { subject: 'Discovery call with Dana' },
      );
      expect(activity.completedAt).toBeTruthy();
      expect(activity.relatedTo).toMatchObject({ className: 'Deal', objectId: dealId });
    });

    await page.getByRole('radio', { name: 'Meeting' }).click();
    await page.getByLabel('Subject').fill('Security review with IT');
    await page.getByLabel('Due').fill(new Date(Date.now() + 2 * 86_400_000).toLocaleDateString('en-US'));
    await page.getByRole('button', { name: 'Schedule meeting' }).click();
    await page.locator('crm-activity-item', { hasText: 'Security review with IT' }).waitFor();
    await screenshot(page, '09-deal-detail');
  });

  it('shows the dashboard, activities, contact and company screens', async () => {
    const { page } = admin;
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    await rest.createMany('Activity', [
      {
        type: 'email',
        subject: 'Send the revised quote',
        dueDate: { __type: 'Date', iso: yesterday },
        relatedTo: pointerTo('Deal', dealId),
        createdBy: pointerTo('_User', admin.id!),
        ACL: { [admin.id!]: { read: true, write: true } },
      },
    ]);
    await nav(page, 'Dashboard');
    await page.getByText('Open pipeline').waitFor();
    await page.locator('crm-activity-item', { hasText: 'Security review with IT' }).waitFor();
    await screenshot(page, '10-dashboard');

    await nav(page, 'Activities');
    await page.getByRole('heading', { name: /Overdue/ }).waitFor();
    await screenshot(page, '11-activities');

    await nav(page, 'Contacts');
    await page.getByRole('link', { name: 'Dana Scully' }).click();
    await page.getByRole('heading', { name: 'Dana Scully' }).waitFor();
    await page.locator('crm-activity-item', { hasText: 'Discovery call with Dana' }).waitFor();
    await screenshot(page, '12-contact-detail');

    await page.getByRole('link', { name: 'Acme Corp' }).first().click();
    await page.getByRole('heading', { name: 'Acme Corp' }).waitFor();
    await page.locator('crm-activity-item', { hasText: 'Discovery call with Dana' }).waitFor();
    await screenshot(page, '13-company-detail');
  });

  it('finds a contact from the search box in the header and opens it', async () => {
    const { page } = admin;
    await nav(page, 'Pipeline');
    const box = page.getByRole('combobox', { name: 'Search contacts, companies and deals' });
    await box.click();
    await box.fill('scul');
    const option = page.getByRole('option', { name: /Dana Scully/ });
    await option.waitFor();
    await page.getByRole('group', { name: 'Contacts' }).waitFor();
    await screenshot(page, '11b-search');
    await option.click();
    await page.getByRole('heading', { name: 'Dana Scully' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/contacts\/\w+$/);
    // the deal is found by a word of its title, its company by its website
    await box.fill('seats');
    await page.getByRole('option', { name: new RegExp(DEAL) }).waitFor();
    await box.fill('acme.example');
    await page
      .getByRole('option', { name: /Acme Corp/ })
      .first()
      .waitFor();
    await box.press('Escape');
  });

  it('keeps working offline and syncs a note made offline', async () => {
    const { page, context } = admin;
    await page.goto(`/deals/${dealId}`);
    await page.locator('crm-activity-item', { hasText: 'Discovery call with Dana' }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 30_000 });
    // the device copy is written just after each screen renders
    await page.waitForTimeout(1500);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole('heading', { name: DEAL }).waitFor();
    await page.getByText('Offline', { exact: true }).waitFor();
    await page.locator('crm-activity-item', { hasText: 'Discovery call with Dana' }).waitFor();

    await page.getByRole('radio', { name: 'Note' }).click();
    await page.getByLabel('Note', { exact: true }).fill('Called from the train: Dana wants a 3-year term');
    await page.getByRole('button', { name: 'Add note' }).click();
    const note = page.locator('crm-activity-item', { hasText: 'Called from the train' });
    await note.getByText('Waiting to sync').waitFor();
    await screenshot(page, '14-offline-note');
    expect(await rest.find('Activity', { subject: { $regex: 'Called from the train' } })).toHaveLength(0);

    await nav(page, 'Pipeline');
    await card(page, 'negotiation', DEAL).waitFor();
    await page.getByText('You are offline').waitFor();
    await screenshot(page, '15-offline-pipeline');

    await context.setOffline(false);
    await page.getByText('Online', { exact: true }).waitFor({ timeout: 15_000 });
    const [synced] = await eventually(
      async () => {
        const found = await rest.find<{ type: string; relatedTo: { objectId: string }; createdBy: { objectId: string } }>(
          'Activity',
          { subject: { $regex: 'Called from the train' } },
        );
        expect(found).toHaveLength(1);
        return found;
      },
      { timeout: 15_000 },
    );
    expect(synced).toMatchObject({ type: 'note', relatedTo: { objectId: dealId }, createdBy: { objectId: admin.id } });
  });

  it(`shows a board of ${BIG_BOARD} deals quickly`, async () => {
    const { page } = admin;
    const companies = await rest.createMany(
      'Company',
      Array.from({ length: 40 }, (_, i) => ({
        name: `Client ${String(i + 1).padStart(2, '0')} Ltd`,
        createdBy: pointerTo('_User', admin.id!),
        ACL: { '*': { read: true } },
      })),
    );
    const stages = ['lead', 'qualified', 'proposal', 'negotiation', 'won', 'lost'];
    const now = Date.now();
    await rest.createMany(
      'Deal',
      Array.from({ length: BIG_BOARD }, (_, i) => ({
        title: `Opportunity ${i + 1}`,
        amount: 1000 + ((i * 7919) % 90) * 500,
        stage: stages[i % stages.length],
        company: pointerTo('Company', companies[i % companies.length]),
        expectedCloseDate: { __type: 'Date', iso: new Date(now + ((i % 60) - 10) * 86_400_000).toISOString() },
        assignedTo: pointerTo('_User', admin.id!),
        ACL: {
          [admin.id!]: { read: true, write: true },
          'role:managers': { read: true },
          'role:admins': { read: true, write: true },
        },
      })),
    );

    const runs: number[] = [];
    for (let run = 0; run < 5; run++) {
      await page.goto('/pipeline');
      await page.waitForFunction(
        () =>
          document.querySelectorAll('crm-board-column').length === 6 && document.querySelectorAll('crm-deal-card').length >= 6,
        null,
        { timeout: 30_000 },
      );
      runs.push(await page.evaluate(() => Math.round(performance.now())));
      console.log(
        'board timings',
        await page.evaluate(() =>
          JSON.stringify({
            marks: performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)]),
            nav: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
            deals: (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
              .filter((r) => r.name.includes('classes/Deal'))
              .map((r) => [Math.round(r.startTime), Math.round(r.responseEnd), r.transferSize]),
          }),
        ),
      );
    }
    const summary = await page.getByTestId('board-summary').textContent();
    expect(summary).toContain('open deals');
    figures['boardDeals'] = BIG_BOARD + 1;
    figures['boardMs'] = runs;
    figures['boardMedianMs'] = [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
    // The machine is shared: a busy neighbour shows up here rather than as an unexplained slow run.
    figures['loadAverage'] = loadavg().map((load) => Math.round(load * 100) / 100);
    await screenshot(page, '16-pipeline-1000-deals');
  });

  it('fits a phone screen', async () => {
    const context = await browser.newContext({
      baseURL: stack.baseURL,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    await page.goto('/login');
    await page.getByLabel('Username').fill('alex');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('crm-deal-card').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, '19-phone-pipeline');
    await page.goto(`/deals/${dealId}`);
    await page.getByRole('heading', { name: DEAL }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, '20-phone-deal');
    await context.close();
  });

  it('sends a user whose session was revoked back to sign-in with a message', async () => {
    const { page } = manager;
    await rest.revokeSessions(manager.id);
    await nav(page, 'Contacts');
    await page.getByText('Your session has expired').waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, '17-session-expired');
  });

  it('signs out', async () => {
    const { page } = admin;
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, '18-login');
  });
});
