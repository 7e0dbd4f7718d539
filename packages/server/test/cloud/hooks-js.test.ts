/** Cloud code from a JavaScript hooks file using the global `Parse`, as Parse Server's cloud code does. */
import { cloudCodeSuite } from './cloud-suite.js';

cloudCodeSuite('hooks.js');
