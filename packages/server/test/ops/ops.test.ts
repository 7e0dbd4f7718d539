/**
 * Operations: health and readiness, Prometheus metrics, and a graceful shutdown that finishes every request
 * already in flight before the process exits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('health, readiness and metrics', () => {
  let server: TestServer;
  let base: string;
  beforeAll(async () => {
    server = await startTestServer();
    base = new URL(server.serverURL).origin;
  });
  afterAll(async () => server?.close());

  it('answers /health, /parse/health and /ready', async () => {
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.serverURL}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
  });

  it('exposes Prometheus metrics with request durations by route', async () => {
    await fetch(`${server.serverURL}/classes/Deal`, { headers: { 'X-Parse-Application-Id': server.appId } });
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('crm_http_request_duration_seconds_bucket');
    expect(text).toContain('route="/parse/classes/:className"');
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

const serverDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('graceful shutdown', () => {
  it('finishes in-flight requests on SIGTERM, then exits 0', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-shutdown-'));
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/parse`;
    const env = {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      APP_ID: 'ops',
      MASTER_KEY: 'ops-master',
      CRM_POLICY: 'off',
      LOG_LEVEL: 'silent',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: serverDir, env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    for (let i = 0; i < 300; i++) {
      try {
        if ((await fetch(`${url}/health`)).ok) break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const headers = { 'X-Parse-Application-Id': 'ops', 'X-Parse-Master-Key': 'ops-master', 'Content-Type': 'application/json' };
    const batch = (n: number) => ({
      requests: Array.from({ length: 500 }, (_, i) => ({
        method: 'POST',
        path: '/parse/classes/Deal',
        body: { title: `b${n}-${i}`, stage: 'drain' },
      })),
    });
    const inFlight = [0, 1, 2, 3].map((n) => fetch(`${url}/batch`, { method: 'POST', headers, body: JSON.stringify(batch(n)) }));
    // Long enough for the server to have received every request (the requests themselves take longer).
    await new Promise((r) => setTimeout(r, 250));
    child.kill('SIGTERM');
    const responses = await Promise.all(inFlight);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const bodies = (await Promise.all(responses.map((r) => r.json()))) as Array<Array<{ success?: unknown }>>;
    expect(bodies.flat().every((item) => item.success)).toBe(true);
    expect(await exited).toBe(0);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);
});
