import { SqliteAdapter } from './sqlite-adapter.js';
import { storageBehaviourSuite } from '../behaviour-suite.js';

storageBehaviourSuite('sqlite', async () => new SqliteAdapter({ dataDir: ':memory:' }));
