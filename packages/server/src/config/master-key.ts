/**
 * MASTER_KEY unset: generate one at first start, keep it in the data directory (mode 0600) and print it once,
 * so there is never a hard-coded secret and restarts keep working.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ServerConfig } from './config.js';

export function ensureMasterKey(config: ServerConfig, log: (line: string) => void = console.log): void {
  if (config.masterKey) return;
  const file = path.join(config.dataDir, 'master.key');
  if (existsSync(file)) {
    config.masterKey = readFileSync(file, 'utf8').trim();
    return;
  }
  mkdirSync(config.dataDir, { recursive: true });
  config.masterKey = randomBytes(24).toString('base64url');
  writeFileSync(file, `${config.masterKey}\n`, { mode: 0o600 });
  log(`Generated a master key (kept in ${file}): ${config.masterKey}`);
}
