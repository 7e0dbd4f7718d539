import Parse from 'parse';
import { indexedDbDatastore, KeyValueStore } from './app/core/indexeddb-datastore';

function memoryStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: async (key) => structuredClone(map.get(key)),
    set: async (key, value) => void map.set(key, structuredClone(value)),
    del: async (key) => void map.delete(key),
    entries: async () => [...map.entries()].map(([key, value]) => [key, structuredClone(value)] as [string, unknown]),
    clear: async () => map.clear(),
  };
}

// The SDK is configured once per test file, as the app does at start (with an in-memory offline store);
// tests swap the REST controller.
Parse.initialize('test-app', undefined as unknown as string);
Parse.serverURL = 'http://localhost/parse';
// jsdom runs in Node, where the SDK refuses a process-wide current user unless told this is one user's client.
Parse.User.enableUnsafeCurrentUser();
// ...and keeps one state per object only in browsers, which the app relies on to share fetched names.
Parse.Object.enableSingleInstance();
Parse.setLocalDatastoreController(indexedDbDatastore(memoryStore()));
Parse.enableLocalDatastore(false);

beforeEach(async () => {
  // Objects with the same class and id share state across tests otherwise.
  Parse.CoreManager.getObjectStateController().clearAllState();
  localStorage.clear();
  await Parse.EventuallyQueue.clear();
  await Parse.LocalDatastore._clear?.();
});
