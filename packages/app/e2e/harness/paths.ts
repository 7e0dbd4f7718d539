import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO_DIR = path.resolve(APP_DIR, '../..');
export const BUILT_APP = path.join(APP_DIR, 'dist/app/browser');
export const SERVER_MAIN = path.join(REPO_DIR, 'packages/server/dist/main.js');
export const SCREENSHOTS = path.join(APP_DIR, 'e2e/screenshots');
