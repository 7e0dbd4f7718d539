import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Page } from 'playwright-core';
import { BUILT_APP } from './paths';

/** The files index.html loads before the app can start: the entry script and its modulepreloads. */
export function initialScripts(): string[] {
  const html = readFileSync(path.join(BUILT_APP, 'index.html'), 'utf8');
  const found = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map(
    (match) => match[1],
  );
  return [...new Set(found)];
}

/** Bytes the browser fetched for those files on a cold load (transfer) and their size once decoded. */
export async function initialScriptBytes(page: Page): Promise<{ transfer: number; decoded: number; files: number }> {
  const names = initialScripts();
  return page.evaluate((names) => {
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const initial = entries.filter((entry) =>
      names.some((name) => new URL(entry.name).pathname === `/${name.replace(/^\//, '')}`),
    );
    return {
      transfer: initial.reduce((sum, entry) => sum + entry.transferSize, 0),
      decoded: initial.reduce((sum, entry) => sum + entry.decodedBodySize, 0),
      files: initial.length,
    };
  }, names);
}
