/**
 * A hooks file that cannot load stops the start-up with a message naming the file and the problem. The broken
 * files are written at run time, so linters and the type checker never see them.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startTestServer } from '../helpers/server.js';
import { fixture } from './cloud-suite.js';

const dir = mkdtempSync(path.join(tmpdir(), 'crm-cloud-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function hooksFile(name: string, source: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  return file;
}

describe('loading the hooks file', () => {
  it('a JavaScript syntax error is a clear start-up error with file, line and the line itself', async () => {
    const file = hooksFile('broken.mjs', 'Parse.Cloud.define("broken", () => {\n  return 1 +;\n});\n');
    const error = await startTestServer({ cloudCode: file }).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toContain(`cloud code file ${file} failed to load: SyntaxError: Unexpected token ';' at ${file}:2`);
    expect(error?.message).toContain('return 1 +;');
  });

  it('a TypeScript syntax error names file, line and column', async () => {
    const file = hooksFile('broken.ts', 'const n: number = ;\nexport default n;\n');
    await expect(startTestServer({ cloudCode: file })).rejects.toThrow(/broken\.ts failed to load: .*broken\.ts:1:\d+/s);
  });

  it('an error thrown while loading is reported with its message', async () => {
    const file = hooksFile('throws.js', 'Parse.Cloud.define("x", () => 1);\nthrow new Error("missing API_TOKEN");\n');
    await expect(startTestServer({ cloudCode: file })).rejects.toThrow(/throws\.js failed to load: missing API_TOKEN/);
  });

  it('configuration: a missing file or an unknown extension is refused up front', () => {
    expect(() => loadConfig({}, { CLOUD_CODE: fixture('nope.js') })).toThrow(/CLOUD_CODE file not found/);
    expect(() => loadConfig({}, { CLOUD_CODE: fixture('hooks.py') })).toThrow(/must name a \.js, \.mjs/);
    expect(loadConfig({}, { CLOUD_CODE: fixture('hooks.ts') }).cloudCode).toBe(fixture('hooks.ts'));
  });
});
