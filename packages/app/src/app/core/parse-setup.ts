import Parse from 'parse';
import { AppConfig } from './app-config';
import { idbKeyValueStore, indexedDbDatastore } from './indexeddb-datastore';
import { RestHooks, withRestHooks } from './rest-hooks';

export function setupParse(config: AppConfig, hooks: RestHooks): void {
  Parse.initialize(config.appId, undefined as unknown as string);
  Parse.serverURL = config.serverURL;
  Parse.liveQueryServerURL = config.liveQueryServerURL;
  // One attempt: an unreachable server must show as offline now, not after the SDK's ~4 s of backoff.
  Parse.CoreManager.set('REQUEST_ATTEMPT_LIMIT', 1);
  // API calls must reach the network, never the service worker's cache.
  Parse.CoreManager.set('REQUEST_HEADERS', { 'ngsw-bypass': 'true' });
  Parse.CoreManager.setRESTController(withRestHooks(Parse.CoreManager.getRESTController(), hooks));
  if (typeof indexedDB !== 'undefined') Parse.setLocalDatastoreController(indexedDbDatastore(idbKeyValueStore()));
  // No SDK polling: SyncService decides when to replay the offline queue, so it is never replayed twice.
  Parse.enableLocalDatastore(false);
}
