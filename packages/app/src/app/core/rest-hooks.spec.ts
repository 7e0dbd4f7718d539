import Parse from 'parse';
import { normalizeParseError, withRestHooks } from './rest-hooks';

function controller(result: () => Promise<unknown>) {
  return { request: vi.fn(result), ajax: vi.fn() } as unknown as ReturnType<typeof Parse.CoreManager.getRESTController>;
}

describe('withRestHooks', () => {
  it('reports the server reachable when it answers', async () => {
    const hooks = { reachable: vi.fn(), sessionExpired: vi.fn() };
    const wrapped = withRestHooks(
      controller(async () => ({ results: [] })),
      hooks,
    );
    await expect(wrapped.request('GET', 'classes/Deal', {}, {})).resolves.toEqual({ results: [] });
    expect(hooks.reachable).toHaveBeenCalledWith(true);
  });

  it('turns a browser fetch failure into CONNECTION_FAILED and reports unreachable', async () => {
    const hooks = { reachable: vi.fn(), sessionExpired: vi.fn() };
    const wrapped = withRestHooks(
      controller(() => Promise.reject(new Parse.Error(undefined as unknown as number, 'Failed to fetch'))),
      hooks,
    );
    await expect(wrapped.request('GET', 'classes/Deal', {}, {})).rejects.toMatchObject({ code: Parse.Error.CONNECTION_FAILED });
    expect(hooks.reachable).toHaveBeenCalledWith(false);
  });

  it('signals an expired session on 209 and keeps the error', async () => {
    const hooks = { reachable: vi.fn(), sessionExpired: vi.fn() };
    const wrapped = withRestHooks(
      controller(() => Promise.reject(new Parse.Error(209, 'Invalid session token'))),
      hooks,
    );
    await expect(wrapped.request('GET', 'users/me', {}, {})).rejects.toMatchObject({ code: 209 });
    expect(hooks.sessionExpired).toHaveBeenCalledOnce();
    expect(hooks.reachable).toHaveBeenCalledWith(true);
  });
});

describe('normalizeParseError', () => {
  it('keeps coded Parse errors', () => {
    const error = new Parse.Error(101, 'Object not found');
    expect(normalizeParseError(error)).toBe(error);
  });

  it('maps strings and plain errors to CONNECTION_FAILED', () => {
    expect(normalizeParseError('Unable to connect').code).toBe(Parse.Error.CONNECTION_FAILED);
    expect(normalizeParseError(new TypeError('Failed to fetch')).message).toBe('Failed to fetch');
  });
});
