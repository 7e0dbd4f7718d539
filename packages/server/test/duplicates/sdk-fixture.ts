/**
 * The CRM cast (admin, two reps, a manager) for SDK tests: each actor's session token goes with every SDK
 * call (`{ sessionToken }`), so one process-wide SDK speaks as each of them in turn.
 */
import { createCast, startCrmServer, type Cast } from '../security/helpers/cast.js';
import { initParse, Parse } from '../helpers/parse-sdk.js';
import type { TestServer } from '../helpers/server.js';

export interface SdkCast {
  server: TestServer;
  cast: Cast;
  as: Record<'admin' | 'rep1' | 'rep2' | 'mgr', { sessionToken: string }>;
}

export async function startSdkCast(): Promise<SdkCast> {
  const server = await startCrmServer();
  initParse(server);
  const cast = await createCast(server);
  const as = {
    admin: { sessionToken: cast.admin.token! },
    rep1: { sessionToken: cast.rep1.token! },
    rep2: { sessionToken: cast.rep2.token! },
    mgr: { sessionToken: cast.mgr.token! },
  };
  return { server, cast, as };
}

/** Saves a new object as someone and returns it. */
export async function make(
  className: string,
  fields: Record<string, unknown>,
  options: { sessionToken: string },
): Promise<Parse.Object & { id: string }> {
  const object = new Parse.Object(className);
  return (await object.save(fields, options)) as Parse.Object & { id: string };
}

export const ptr = (className: string, objectId: string) => Parse.Object.fromJSON({ className, objectId }, false);

export { Parse };
