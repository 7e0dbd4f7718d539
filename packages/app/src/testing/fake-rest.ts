import Parse from 'parse';

export interface RestCall {
  method: string;
  path: string;
  data: Record<string, any>;
}

type Handler = (call: RestCall) => unknown;

/**
 * Puts a scripted server behind the real SDK: services run their actual queries and saves, and tests look at
 * what was sent. A handler may return a value, throw a Parse.Error, or return a promise.
 */
export function fakeRest(handler: Handler) {
  const calls: RestCall[] = [];
  Parse.CoreManager.setRESTController({
    request: async (method: string, path: string, data: Record<string, any> = {}) => {
      const call = { method, path, data: JSON.parse(JSON.stringify(data ?? {})) };
      calls.push(call);
      return handler(call);
    },
    ajax: () => {
      throw new Error('ajax is not used by the app');
    },
  } as never);
  return calls;
}

export const offline = () => {
  throw new Parse.Error(Parse.Error.CONNECTION_FAILED, 'Failed to fetch');
};

export function savedReply(id = 'new1') {
  return { objectId: id, createdAt: '2026-05-01T00:00:00.000Z', updatedAt: '2026-05-01T00:00:00.000Z' };
}
