/**
 * Account protections through real HTTP: password reset and email verification by mail link, account
 * lockout, per-address rate limits on log-in/sign-up, and the password policy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { RawClient } from '../helpers/http.js';
import type { ServerConfig } from '../../src/config/config.js';

async function withServer(overrides: Partial<ServerConfig>): Promise<{ server: TestServer; http: RawClient; dataDir: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'crm-accounts-'));
  const server = await startTestServer({ dataDir, ...overrides });
  return { server, http: new RawClient(server), dataDir };
}

function lastMailLink(dataDir: string): string {
  const lines = readFileSync(path.join(dataDir, 'mail.log'), 'utf8').trim().split('\n');
  const text = JSON.parse(lines[lines.length - 1]).text as string;
  return text.match(/https?:\/\/\S+/)![0];
}

describe('password reset by mail link', () => {
  let ctx: Awaited<ReturnType<typeof withServer>>;
  beforeAll(async () => {
    ctx = await withServer({});
  });
  afterAll(async () => {
    await ctx.server.close();
    rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  it('mails a single-use link that sets a new password and ends old sessions', async () => {
    const signUp = await ctx.http.request('POST', '/users', {
      body: { username: 'ann', password: 'old-secret', email: 'Ann@Example.com' },
    });
    expect(signUp.status).toBe(201);
    const oldToken = signUp.body.sessionToken as string;

    const unknown = await ctx.http.request('POST', '/requestPasswordReset', { body: { email: 'nobody@example.com' } });
    expect(unknown.status).toBe(200);
    const request = await ctx.http.request('POST', '/requestPasswordReset', { body: { email: 'ann@example.com' } });
    expect(request.status).toBe(200);
    const link = new URL(lastMailLink(ctx.dataDir));
    const token = link.searchParams.get('token');

    const form = await fetch(link);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('new password');

    const reset = await ctx.http.request('POST', link.toString(), { body: { token, new_password: 'new-secret' } });
    expect(reset.status).toBe(200);
    const again = await ctx.http.request('POST', link.toString(), { body: { token, new_password: 'third-secret' } });
    expect(again.status).toBe(400);

    expect((await ctx.http.request('POST', '/login', { body: { username: 'ann', password: 'old-secret' } })).body.code).toBe(101);
    expect((await ctx.http.request('POST', '/login', { body: { username: 'ann', password: 'new-secret' } })).status).toBe(200);
    const stale = await ctx.http.request('GET', '/users/me', { headers: { 'X-Parse-Session-Token': oldToken } });
    expect([stale.status, stale.body.code]).toEqual([400, 209]);
  });

  it('asks for an email address', async () => {
    const response = await ctx.http.request('POST', '/requestPasswordReset', { body: {} });
    expect([response.status, response.body.code]).toEqual([400, 204]);
  });
});

describe('email verification', () => {
  it('sends a link at sign-up that marks the address verified', async () => {
    const ctx = await withServer({ verifyUserEmails: true });
    try {
      const signUp = await ctx.http.request('POST', '/users', {
        body: { username: 'vera', password: 'secret', email: 'vera@example.com' },
      });
      const before = await ctx.http.request('GET', `/users/${signUp.body.objectId}`, { master: true });
      expect(before.body.emailVerified).toBe(false);
      const page = await fetch(lastMailLink(ctx.dataDir));
      expect(page.status).toBe(200);
      const after = await ctx.http.request('GET', `/users/${signUp.body.objectId}`, { master: true });
      expect(after.body.emailVerified).toBe(true);
      expect((await fetch(lastMailLink(ctx.dataDir))).status).toBe(400);
    } finally {
      await ctx.server.close();
    }
  });
});

describe('account lockout, rate limits and password policy', () => {
  it('locks an account after repeated failures, even for the right password', async () => {
    const ctx = await withServer({ accountLockoutThreshold: 3, accountLockoutMinutes: 5 });
    try {
      await ctx.http.request('POST', '/users', { body: { username: 'lou', password: 'right', email: 'lou@example.com' } });
      for (let i = 0; i < 3; i++) {
        expect((await ctx.http.request('POST', '/login', { body: { username: 'lou', password: 'wrong' } })).body.code).toBe(101);
      }
      const locked = await ctx.http.request('POST', '/login', { body: { username: 'lou', password: 'right' } });
      expect([locked.status, locked.body.code]).toEqual([404, 101]);
      expect(locked.body.error).toMatch(/locked/);
    } finally {
      await ctx.server.close();
    }
  });

  it('limits log-in attempts per address with 429 / 155', async () => {
    const ctx = await withServer({ authRateLimitPerMinute: 2 });
    try {
      const codes = [];
      for (let i = 0; i < 3; i++)
        codes.push((await ctx.http.request('POST', '/login', { body: { username: 'x', password: 'y' } })).status);
      expect(codes).toEqual([404, 404, 429]);
      const limited = await ctx.http.request('POST', '/login', { body: { username: 'x', password: 'y' } });
      expect(limited.body.code).toBe(155);
      expect((await ctx.http.request('GET', '/health')).status).toBe(200);
    } finally {
      await ctx.server.close();
    }
  });

  it('refuses passwords that break the policy with 142', async () => {
    const ctx = await withServer({ passwordMinLength: 8, passwordPattern: '[0-9]' });
    try {
      const short = await ctx.http.request('POST', '/users', {
        body: { username: 'pat', password: 'abc1', email: 'pat@example.com' },
      });
      expect([short.status, short.body.code]).toEqual([400, 142]);
      const noDigit = await ctx.http.request('POST', '/users', {
        body: { username: 'pat', password: 'abcdefghij', email: 'pat@example.com' },
      });
      expect(noDigit.body.code).toBe(142);
      const ok = await ctx.http.request('POST', '/users', {
        body: { username: 'pat', password: 'abcdefgh1', email: 'pat@example.com' },
      });
      expect(ok.status).toBe(201);
    } finally {
      await ctx.server.close();
    }
  });
});
