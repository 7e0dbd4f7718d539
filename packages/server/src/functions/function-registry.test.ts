import { describe, expect, it } from 'vitest';
import { FunctionRegistry, type FunctionRequest } from './function-registry.js';
import { ANONYMOUS, MASTER, type Auth } from '../security/auth.js';
import { ParseError } from '../errors/parse-error.js';
import type { Services } from '../service/services.js';

const request = (auth: Auth, params: Record<string, unknown> = {}): FunctionRequest => ({
  params,
  auth,
  user: auth.user,
  master: auth.isMaster,
  ip: '127.0.0.1',
  services: {} as Services,
});
const rep: Auth = { isMaster: false, user: { objectId: 'u1', username: 'rep' }, roles: [] };

async function failure(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParseError);
  return { code: (error as ParseError).code, message: (error as ParseError).message };
}

describe('FunctionRegistry', () => {
  it('runs a defined function with its params and answers null for undefined', async () => {
    const registry = new FunctionRegistry();
    registry.define('double', (req) => (req.params.n as number) * 2);
    registry.define('nothing', () => undefined);
    expect(await registry.run('double', request(rep, { n: 21 }))).toBe(42);
    expect(await registry.run('nothing', request(rep))).toBeNull();
  });

  it("answers 141 Invalid function for an unknown name, also for Object.prototype's keys", async () => {
    const registry = new FunctionRegistry();
    expect(await failure(registry.run('missing', request(rep)))).toEqual({ code: 141, message: 'Invalid function: "missing"' });
    expect((await failure(registry.run('constructor', request(rep)))).code).toBe(141);
  });

  it('reports a thrown Error or string as 141 and keeps a ParseError as it is', async () => {
    const registry = new FunctionRegistry();
    registry.define('boom', () => {
      throw new Error('no stage given');
    });
    registry.define('text', () => Promise.reject('plain text'));
    registry.define('coded', () => {
      throw new ParseError(142, 'amount must be positive');
    });
    expect(await failure(registry.run('boom', request(rep)))).toEqual({ code: 141, message: 'no stage given' });
    expect(await failure(registry.run('text', request(rep)))).toEqual({ code: 141, message: 'plain text' });
    expect(await failure(registry.run('coded', request(rep)))).toEqual({ code: 142, message: 'amount must be positive' });
  });

  it('enforces requireUser and requireMaster before running', async () => {
    const registry = new FunctionRegistry();
    let ran = 0;
    registry.define('mine', () => ++ran, { requireUser: true });
    registry.define('admin', () => ++ran, { requireMaster: true });
    expect((await failure(registry.run('mine', request(ANONYMOUS)))).code).toBe(209);
    expect((await failure(registry.run('admin', request(rep)))).code).toBe(119);
    expect(await registry.run('mine', request(rep))).toBe(1);
    expect(await registry.run('admin', request(MASTER))).toBe(2);
    expect(() => registry.define('bad name;', () => 0)).toThrow();
  });
});
