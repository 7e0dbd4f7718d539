import { defineConfig } from 'vitest/config';

const report = process.env['VITEST_JSON_REPORT'];

/** End-to-end: one browser flow against the real server, steps in order, nothing in parallel. */
export default defineConfig({
  // Vite's cache would otherwise land in e2e/node_modules.
  cacheDir: '../node_modules/.cache/vite-e2e',
  test: {
    root: import.meta.dirname,
    include: ['**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // The steps build on each other: after the first failure the rest would only time out.
    bail: 1,
    reporters: report ? ['default', 'json'] : ['default'],
    outputFile: report ? { json: report } : undefined,
  },
});
