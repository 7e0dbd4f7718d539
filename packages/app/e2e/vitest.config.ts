import { defineConfig } from 'vitest/config';

const report = process.env['VITEST_JSON_REPORT'];

/** End-to-end: one browser flow against the real server, steps in order, nothing in parallel. */
export default defineConfig({
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
