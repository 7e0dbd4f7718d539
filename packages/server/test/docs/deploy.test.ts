/**
 * Docker cannot run here, so the deployment files are checked for what can be known without it: the
 * Dockerfile starts a file the build produces and probes the route the server answers, compose wires the
 * services to each other consistently, every variable they set is one the server reads and DEPLOY.md
 * documents. With Caddy installed, the real Caddyfile balances HTTP and WebSocket over two real servers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../src/config/config.js';
import { DATA_API_ONLY, START_TIMEOUT_MS, startTestServer, type TestServer } from '../helpers/server.js';
import { REPO_ROOT, composeFile, dockerInstructions, execForm, repoFile, type Instruction } from './deploy-files.js';

const onPath = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** Environment variables the server reads: the names in config.ts's `env.NAME` reads. */
const serverVariables = (): Set<string> =>
  new Set([...repoFile('packages/server/src/config/config.ts').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1]));

const defaults = loadConfig({}, {});

describe('Dockerfile', () => {
  const instructions = dockerInstructions(repoFile('Dockerfile'));
  const stages = new Set(instructions.filter((i) => i.keyword === 'FROM').map((i) => i.stage));
  const finalStage = instructions.filter((i) => i.keyword === 'FROM').at(-1)!.stage;
  const inFinal = (keyword: string): Instruction[] => instructions.filter((i) => i.stage === finalStage && i.keyword === keyword);

  it('starts the file that the server build produces', () => {
    const [command, entry] = execForm(inFinal('CMD')[0].args);
    expect(command).toBe('node');
    // tsconfig.build.json compiles src/ into dist/ one to one, so src/main.ts becomes dist/main.js.
    const build = JSON.parse(repoFile('packages/server/tsconfig.build.json')).compilerOptions;
    expect(JSON.parse(repoFile('packages/server/package.json')).scripts.build).toContain('tsconfig.build.json');
    const produced = path.posix
      .join('packages/server', build.outDir, path.posix.relative(build.rootDir, 'src/main.ts'))
      .replace(/\.ts$/, '.js');
    expect(entry).toBe(produced);
    expect(existsSync(path.join(REPO_ROOT, 'packages/server/src/main.ts'))).toBe(true);
    // …and that the build stage runs that build, and the runtime stage receives its output.
    expect(instructions.some((i) => i.stage === 'build' && i.keyword === 'RUN' && /npm run build/.test(i.args))).toBe(true);
    expect(JSON.parse(repoFile('package.json')).scripts.build).toMatch(/--workspaces/);
    expect(
      inFinal('COPY').some((i) => /--from=build\s+\/src\/packages\/server\/dist\s+packages\/server\/dist/.test(i.args)),
    ).toBe(true);
  });

  it('copies every workspace manifest before npm ci, so the lockfile sees all workspaces', () => {
    const workspaces = readdirSync(path.join(REPO_ROOT, 'packages')).filter((dir) =>
      existsSync(path.join(REPO_ROOT, 'packages', dir, 'package.json')),
    );
    const copies = instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    for (const dir of workspaces) expect(copies, dir).toContain(`packages/${dir}/package.json packages/${dir}/`);
  });

  it('runs as a non-root user with the data volume, port and health check the server expects', () => {
    expect(inFinal('USER')[0].args).not.toMatch(/^(root|0)$/);
    expect(inFinal('EXPOSE')[0].args).toBe(String(defaults.port));
    expect(
      inFinal('ENV')
        .map((i) => i.args)
        .join(' '),
    ).toMatch(/\bDATA_DIR=\/data\b/);
    expect(inFinal('VOLUME')[0].args).toContain('/data');
    expect(inFinal('HEALTHCHECK')[0].args).toContain(`${defaults.mountPath}/health`);
  });

  it('takes files only from stages it defines', () => {
    for (const copy of instructions.filter((i) => i.keyword === 'COPY' && i.args.includes('--from='))) {
      expect(stages, copy.args).toContain(/--from=(\S+)/.exec(copy.args)![1]);
    }
  });

  it('.dockerignore keeps dependencies, build output, data and secrets out of the context', () => {
    const ignored = repoFile('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const pattern of ['**/node_modules', '**/dist', 'data', '.env', '**/.env', '.git']) expect(ignored).toContain(pattern);
  });

  it.skipIf(!onPath('hadolint'))('passes hadolint', () => {
    const run = spawnSync('hadolint', [path.join(REPO_ROOT, 'Dockerfile')], { encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });
  if (!onPath('hadolint')) console.log('hadolint check skipped: hadolint is not installed');
});

describe('deploy/compose.yaml', () => {
  const compose = composeFile();
  const apps = Object.entries(compose.services).filter(([, s]) => s.environment?.DATABASE_URL);

  it('has PostgreSQL, Redis, two app instances and a proxy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app1', 'app2', 'postgres', 'proxy', 'redis']);
    expect(apps.map(([name]) => name)).toEqual(['app1', 'app2']);
  });

  it('points every instance at the same database, Redis and public URL', () => {
    const postgres = compose.services.postgres.environment!;
    for (const [name, app] of apps) {
      const env = app.environment!;
      const db = new URL(env.DATABASE_URL.replace(/\$\{[^}]+\}/, 'secret'));
      expect(compose.services[db.hostname], name).toBeDefined();
      expect([db.username, db.pathname.slice(1), db.port]).toEqual([postgres.POSTGRES_USER, postgres.POSTGRES_DB, '5432']);
      expect(env.DATABASE_URL).toContain('${POSTGRES_PASSWORD');
      expect(postgres.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD/);
      expect(new URL(env.REDIS_URL).hostname).toBe('redis');
      expect(env.SERVER_URL).toMatch(new RegExp(`${defaults.mountPath}$`));
      expect(env.DATA_DIR).toBe('/data');
      expect(app.volumes!.some((v) => v.endsWith(':/data'))).toBe(true);
      expect(env.MASTER_KEY).toMatch(/^\$\{MASTER_KEY:\?/);
    }
    expect(apps[0][1].environment).toEqual(apps[1][1].environment);
  });

  it('sets only variables the server reads', () => {
    const known = serverVariables();
    for (const [, app] of apps) for (const name of Object.keys(app.environment!)) expect(known, name).toContain(name);
  });

  it('gives every service a health check, and waits on them', () => {
    for (const [name, service] of Object.entries(compose.services)) expect(service.healthcheck?.test, name).toBeDefined();
    for (const [, app] of apps) {
      expect(app.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${defaults.port}${defaults.mountPath}/health`);
      expect(app.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
    for (const [, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect(compose.services[dependency]).toBeDefined();
        expect(condition).toBe('service_healthy');
      }
    }
  });

  it('sends the proxy to every app instance on the port the image exposes', () => {
    const proxy = compose.services.proxy;
    expect(proxy.environment!.UPSTREAMS.split(/\s+/).sort()).toEqual(apps.map(([name]) => `${name}:${defaults.port}`));
    expect(proxy.volumes).toContain('./Caddyfile:/etc/caddy/Caddyfile:ro');
    const caddyfile = repoFile('deploy/Caddyfile');
    expect(caddyfile).toContain('reverse_proxy {$UPSTREAMS}');
    expect(caddyfile).toContain('{$SITE_ADDRESS');
    expect(proxy.depends_on).toMatchObject({ app1: { condition: 'service_healthy' }, app2: { condition: 'service_healthy' } });
  });

  it('declares its named volumes and documents every variable it needs', () => {
    for (const service of Object.values(compose.services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0];
        if (!source.startsWith('.')) expect(compose.volumes, source).toHaveProperty(source);
      }
    }
    const required = new Set([...repoFile('deploy/compose.yaml').matchAll(/\$\{([A-Z_]+)(?::[?-])?/g)].map((m) => m[1]));
    const example = repoFile('deploy/.env.example');
    for (const name of required) expect(example, name).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});

describe('docs/DEPLOY.md', () => {
  it('documents every variable the server reads', () => {
    const table = repoFile('docs/DEPLOY.md');
    for (const name of serverVariables()) expect(table, name).toContain(`| \`${name}\``);
  });
});

const hasCaddy = onPath('caddy');
if (!hasCaddy) console.log('proxy check skipped: caddy is not installed (apt-get install caddy)');

describe.skipIf(!hasCaddy)('the Caddyfile in front of two servers', () => {
  const servers: TestServer[] = [];
  let proxy: ChildProcess;
  let proxyOrigin: string;
  let workDir: string;

  /** A free loopback port, found by letting the OS pick one and giving it back. */
  const freePort = async () => {
    const { createServer } = await import('node:net');
    return new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
  };

  beforeAll(async () => {
    // Same app id and master key, as in compose; the policy off so anonymous writes show who answered.
    const shared = { ...DATA_API_ONLY, appId: 'crm', masterKey: 'proxy-test-master-key' };
    servers.push(await startTestServer(shared), await startTestServer(shared));
    const port = await freePort();
    proxyOrigin = `http://127.0.0.1:${port}`;
    workDir = mkdtempSync(path.join(tmpdir(), 'crm-caddy-'));
    const env = {
      ...process.env,
      HOME: workDir,
      XDG_DATA_HOME: workDir,
      XDG_CONFIG_HOME: workDir,
      SITE_ADDRESS: proxyOrigin,
      UPSTREAMS: servers.map((s) => new URL(s.serverURL).host).join(' '),
    };
    // The real Caddyfile, adapted as Caddy would; only the admin endpoint goes, so runs never fight over its port.
    const adapted = spawnSync(
      'caddy',
      ['adapt', '--config', path.join(REPO_ROOT, 'deploy/Caddyfile'), '--adapter', 'caddyfile'],
      { env, encoding: 'utf8' },
    );
    expect(adapted.status, adapted.stderr).toBe(0);
    const config = JSON.parse(adapted.stdout);
    config.admin = { disabled: true };
    const configFile = path.join(workDir, 'caddy.json');
    writeFileSync(configFile, JSON.stringify(config));
    proxy = spawn('caddy', ['run', '--config', configFile], { env, stdio: 'ignore' });
    for (let attempt = 0; attempt < 100; attempt++) {
      const up = await fetch(`${proxyOrigin}/parse/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('caddy did not come up');
  }, START_TIMEOUT_MS);

  afterAll(async () => {
    proxy?.kill('SIGTERM');
    for (const server of servers) await server.close().catch(() => {});
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const createThroughProxy = async () => {
    const response = await fetch(`${proxyOrigin}/parse/classes/Activity`, {
      method: 'POST',
      headers: { 'X-Parse-Application-Id': 'crm', 'Content-Type': 'application/json' },
      body: JSON.stringify({ subject: 'via proxy' }),
    });
    expect(response.status).toBe(201);
    // Each instance names itself in Location (no SERVER_URL here), which shows who answered.
    return new URL(response.headers.get('location')!).port;
  };

  it('spreads HTTP requests over both instances and compresses answers', async () => {
    const answeredBy = new Set<string>();
    for (let i = 0; i < 24; i++) answeredBy.add(await createThroughProxy());
    expect([...answeredBy].sort()).toEqual(servers.map((s) => new URL(s.serverURL).port).sort());
    const doc = await fetch(`${proxyOrigin}/parse/openapi.json`, { headers: { 'Accept-Encoding': 'gzip' } });
    expect(doc.headers.get('content-encoding')).toMatch(/gzip|zstd/);
  });

  it('passes the LiveQuery WebSocket through', async () => {
    const socket = new WebSocket(`${proxyOrigin.replace('http', 'ws')}/parse`);
    const first = new Promise<any>((resolve, reject) => {
      socket.once('message', (data) => resolve(JSON.parse(String(data))));
      socket.once('error', reject);
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ op: 'connect', applicationId: 'crm' }));
    expect(await first).toMatchObject({ op: 'connected' });
    socket.close();
  });

  it('keeps answering when one instance stops', async () => {
    // An object only the second instance holds: the proxy answers 200 for it only from there.
    const created = await fetch(`${servers[1].serverURL}/classes/Activity`, {
      method: 'POST',
      headers: { 'X-Parse-Application-Id': 'crm', 'Content-Type': 'application/json' },
      body: JSON.stringify({ subject: 'only on the second instance' }),
    });
    const { objectId } = await created.json();
    await servers[0].close();
    // Reads, which the proxy may retry on another instance; a write in flight to a dying instance can fail.
    for (let i = 0; i < 8; i++) {
      const read = await fetch(`${proxyOrigin}/parse/classes/Activity/${objectId}`, {
        headers: { 'X-Parse-Application-Id': 'crm' },
      });
      expect(read.status).toBe(200);
    }
  });
});
