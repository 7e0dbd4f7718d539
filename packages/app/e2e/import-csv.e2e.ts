/**
 * Importing a small CSV from the Contacts screen: pick the file, read the dry run's report (a bad row by line
 * and column, the company it will create, a likely duplicate), import, see the contacts; then export them.
 */
import { readFileSync } from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext, screenshot } from './harness/browser';
import { Rest } from './harness/rest';
import { Stack, startStack } from './harness/stack';

const PASSWORD = 'correct-horse-battery';
const CSV = [
  'Full name,E-mail,Employer,Remarks',
  'Fox Mulder,fox@fbi.example,Bureau Imports,believes',
  'Walter Skinner,not-an-email,Bureau Imports,',
  'Fox M.,FOX@fbi.example,Bureau Imports,',
].join('\n');

let stack: Stack;
let rest: Rest;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  rest = new Rest(stack.apiURL, stack.masterKey);
  browser = await launchBrowser();
  context = await newContext(browser, stack.baseURL);
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('[page error]', error.message));
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail')
    await screenshot(page, `failed-import-${task.name.replace(/\W+/g, '-').slice(0, 40)}`).catch(() => undefined);
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

describe('CSV import and export in the app', () => {
  it('imports contacts from a CSV after a dry run', async () => {
    await page.goto('/signup');
    await page.getByLabel('Username').fill('ivy');
    await page.getByLabel('Work email').fill('ivy@example.com');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Your pipeline is empty').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Contacts', exact: true }).click();
    await page.getByText('No contacts yet').waitFor();

    await page.getByRole('button', { name: 'Import CSV' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Import contacts from CSV').waitFor();
    await dialog.getByTestId('csv-file').setInputFiles({ name: 'contacts.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
    const report = dialog.getByTestId('import-report');
    await report.getByText('2 of 3 rows ready to import.').waitFor();
    // The server guessed name, email and company from the headings; "Remarks" needs a hand.
    await expect(dialog.getByRole('combobox', { name: 'Employer' }).textContent()).resolves.toContain('company');
    await dialog.getByRole('combobox', { name: 'Remarks' }).click();
    await page.getByRole('option', { name: 'notes', exact: true }).click();
    await dialog.getByRole('button', { name: 'Check again' }).click();
    await dialog.getByRole('button', { name: 'Check again' }).waitFor({ state: 'detached' });
    await report.getByText('2 of 3 rows ready to import.').waitFor();
    await report.getByText('Will create 1 company: Bureau Imports').waitFor();
    await report.getByText(/1 possible duplicate/).waitFor();
    await report.getByRole('cell', { name: 'email: "not-an-email" is not an email address' }).waitFor();
    await expect(report.getByRole('row').nth(1).textContent()).resolves.toContain('E-mail');
    await screenshot(page, 'import-01-dry-run');
    expect(await rest.find('Contact')).toHaveLength(0);

    await dialog.getByRole('button', { name: 'Import 2 contacts' }).click();
    await report.getByText('Imported 2 contacts.').waitFor();
    await screenshot(page, 'import-02-done');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('cell', { name: 'Fox Mulder', exact: true }).waitFor();
    await page.getByRole('cell', { name: 'Fox M.', exact: true }).waitFor();

    const contacts = await rest.find<{
      name: string;
      notes?: string;
      company?: { objectId: string };
      duplicateOf?: { objectId: string };
    }>('Contact');
    expect(contacts.map((c) => c.name).sort()).toEqual(['Fox M.', 'Fox Mulder']);
    expect(contacts.find((c) => c.name === 'Fox Mulder')?.notes).toBe('believes');
    expect(contacts.every((c) => c.company)).toBe(true);
    expect(contacts.filter((c) => c.duplicateOf)).toHaveLength(1);
  });

  it('merges the flagged duplicate into the original from its page', async () => {
    await page.getByRole('cell', { name: 'Fox M.', exact: true }).click();
    const banner = page.getByTestId('duplicate-banner');
    await banner.getByText('Possible duplicate of').waitFor();
    await screenshot(page, 'import-03-duplicate');
    await banner.getByRole('button', { name: 'Merge into Fox Mulder' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Merge' }).click();
    await page.getByText('Contacts merged').waitFor();
    await page.getByRole('heading', { name: 'Fox Mulder', exact: true }).waitFor();
    const contacts = await rest.find<{ name: string }>('Contact');
    expect(contacts.map((c) => c.name)).toEqual(['Fox Mulder']);
    await page.getByRole('navigation').getByRole('link', { name: 'Contacts', exact: true }).click();
    await page.getByRole('cell', { name: 'Fox Mulder', exact: true }).waitFor();
  });

  it('exports the contacts as CSV with company names', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text.split('\n')[0]).toBe('name,email,phone,company,notes');
    expect(text).toContain('Fox Mulder,fox@fbi.example,,Bureau Imports,believes');
  });
});
