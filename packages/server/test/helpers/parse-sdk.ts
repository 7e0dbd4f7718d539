/**
 * Points the `parse` SDK at a test server. The SDK is a process-wide singleton, so a test file owns exactly one
 * server and calls this once in beforeAll. The master key is registered too, but the SDK only sends it for
 * calls made with `{ useMasterKey: true }`, so ordinary calls still travel as an anonymous client.
 */
import Parse from 'parse/node';
import type { TestServer } from './server.js';

/** parse/node types initialize() on the Parse interface only, not on the namespace the default import gets. */
type NodeInitialize = (applicationId: string, javaScriptKey?: string, masterKey?: string) => void;

export function initParse(server: TestServer): typeof Parse {
  (Parse as unknown as { initialize: NodeInitialize }).initialize(server.appId, server.javascriptKey, server.masterKey);
  Parse.serverURL = server.serverURL;
  return Parse;
}

export { Parse };
