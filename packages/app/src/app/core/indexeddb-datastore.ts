import { clear, createStore, del, entries, get, set } from 'idb-keyval';

/** The few key-value operations the datastore needs, so that tests can run it on a Map. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  del(key: string): Promise<void>;
  entries(): Promise<[string, unknown][]>;
  clear(): Promise<void>;
}

export function idbKeyValueStore(database = 'crm-offline', table = 'pins'): KeyValueStore {
  const store = createStore(database, table);
  return {
    get: (key) => get(key, store),
    set: (key, value) => set(key, value, store),
    del: (key) => del(key, store),
    entries: () => entries<string, unknown>(store),
    clear: () => clear(store),
  };
}

/**
 * A Parse local datastore controller on IndexedDB. The SDK's default one keeps pins in localStorage, which caps
 * the offline copy at about 5 MB and writes it synchronously on the main thread; a pipeline of a few thousand
 * deals with their companies and contacts outgrows that.
 */
export function indexedDbDatastore(kv: KeyValueStore) {
  const contents = async () => Object.fromEntries(await kv.entries());
  return {
    async fromPinWithName(name: string) {
      return (await kv.get(name)) ?? [];
    },
    pinWithName: (name: string, value: unknown) => kv.set(name, value),
    unPinWithName: (name: string) => kv.del(name),
    getAllContents: contents,
    getRawStorage: contents,
    clear: () => kv.clear(),
  };
}
