import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { BUILT_APP, SERVER_MAIN } from './paths';
import { startStaticProxy } from './static-proxy';

/** The service worker installs only if every prefetched file hashes as ngsw.json says; index.html is the one a server may rewrite. */
async function serviceWorkerCanInstall(origin: string): Promise<boolean> {
  try {
    const manifest = (await fetch(`${origin}/ngsw.json`).then((r) => r.json())) as { hashTable: Record<string, string> };
    const index = Buffer.from(await fetch(`${origin}/index.html`).then((r) => r.arrayBuffer()));
    return manifest.hashTable['/index.html'] === createHash('sha1').update(index).digest('hex');
  } catch {
    return false;
  }
}

export interface Stack {
  /** Where the browser goes: the app and, under /parse, the API. */
  baseURL: string;
  apiURL: string;
  masterKey: string;
  /** Whether the server itself served the app (STATIC_DIR) in a way the service worker accepts, or the harness had to. */
  servedByServer: boolean;
  stop(): Promise<void>;
}

async function waitForHealth(url: string, server: ChildProcess, seconds = 30): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    try {
      const response = await fetch(`${url}/health`, { headers: { 'X-Parse-Application-Id': 'crm' } });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not answer ${url}/health within ${seconds} s`);
}

/** Starts the real server on a free port with a fresh data directory. Builds nothing: both builds must exist. */
export async function startStack(): Promise<Stack> {
  if (!existsSync(path.join(BUILT_APP, 'index.html')))
    throw new Error(`No app build in ${BUILT_APP}: run "npm run build -w @crm/app" first`);
  if (!existsSync(SERVER_MAIN)) throw new Error(`No server build at ${SERVER_MAIN}: run "npm run build -w @crm/server" first`);
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-e2e-'));
  const masterKey = randomBytes(24).toString('hex');
  const server = spawn(process.execPath, [SERVER_MAIN], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      APP_ID: 'crm',
      MASTER_KEY: masterKey,
      LOG_LEVEL: 'silent',
      STATIC_DIR: BUILT_APP,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr?.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
    if (process.env['E2E_SERVER_LOG']) process.stderr.write(`[server] ${chunk}`);
  });
  server.on('exit', (code, signal) => {
    if (!stopping) console.error(`the server exited unexpectedly (code ${code}, signal ${signal})\n${stderr}`);
  });
  let stopping = false;
  const apiURL = `http://127.0.0.1:${port}/parse`;
  try {
    await waitForHealth(apiURL, server);
  } catch (error) {
    server.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${stderr}`);
  }

  const servedByServer = (
    await fetch(`http://127.0.0.1:${port}/pipeline`)
      .then((r) => r.text())
      .catch(() => '')
  ).includes('<crm-root');
  const offlineReady = servedByServer && (await serviceWorkerCanInstall(`http://127.0.0.1:${port}`));
  if (!servedByServer) console.warn('The server does not serve the app (STATIC_DIR): the harness serves it and proxies /parse.');
  if (servedByServer && !offlineReady) {
    console.warn(
      'The server serves an index.html whose SHA-1 differs from the one in its ngsw.json (it injects the app-id meta tag ' +
        'without updating the manifest), so the service worker refuses to install and the app cannot start offline. ' +
        'Serving the build through the harness until the server fixes that.',
    );
  }
  let proxy: http.Server | undefined;
  let baseURL = `http://127.0.0.1:${port}`;
  if (!offlineReady) {
    const proxyPort = await freePort();
    proxy = await startStaticProxy(BUILT_APP, port, proxyPort);
    baseURL = `http://127.0.0.1:${proxyPort}`;
  }

  return {
    baseURL,
    apiURL,
    masterKey,
    servedByServer: offlineReady,
    async stop() {
      stopping = true;
      proxy?.close();
      if (server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
        if (server.exitCode === null) server.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
