/** Cloud code from a TypeScript hooks file (loaded through tsx) that registers through its default export. */
import { cloudCodeSuite } from './cloud-suite.js';

cloudCodeSuite('hooks.ts');
