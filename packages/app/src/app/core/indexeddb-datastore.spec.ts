import { indexedDbDatastore, KeyValueStore } from './indexeddb-datastore';

function mapStore(): KeyValueStore {
  const map = new Map<string, unknown>();
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    del: async (key) => void map.delete(key),
    entries: async () => [...map.entries()],
    clear: async () => map.clear(),
  };
}

describe('indexedDbDatastore', () => {
  it('stores, lists and removes pins', async () => {
    const datastore = indexedDbDatastore(mapStore());
    await datastore.pinWithName('Parse_LDS_Deal_a', { objectId: 'a' });
    await datastore.pinWithName('Parse_LDS_parsePin_deals', ['Deal_a']);
    expect(await datastore.fromPinWithName('Parse_LDS_parsePin_deals')).toEqual(['Deal_a']);
    expect(Object.keys(await datastore.getAllContents())).toHaveLength(2);
    await datastore.unPinWithName('Parse_LDS_Deal_a');
    expect(await datastore.fromPinWithName('Parse_LDS_Deal_a')).toEqual([]);
    await datastore.clear();
    expect(await datastore.getAllContents()).toEqual({});
  });
});
