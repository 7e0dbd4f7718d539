/**
 * Loads the hooks file named by CLOUD_CODE at start. The file sees a global `Parse` — a private `parse/node`
 * SDK answering in-process (see in-process-controller.ts) with `Parse.Cloud.beforeSave/afterSave/
 * beforeDelete/afterDelete/define` — like a Parse Server cloud code file. A default-exported function is also
 * called with that `Parse`, for files that prefer not to rely on the global.
 *
 * Any of .js/.mjs/.cjs/.ts/.mts/.cts is loaded through tsx's `tsImport` (esbuild type stripping, ESM and
 * CommonJS), which behaves the same on Node 20, 22 and 24; Node's own type stripping is not on by default
 * before Node 23.6. Each load evaluates the file afresh (tsx gives every call its own module namespace).
 */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ConfigError } from '../config/config.js';
import type { Services } from '../service/services.js';
import type { ApiRouter } from '../rest/router.js';
import { CloudCode, type CloudLogger } from './cloud-code.js';
import { inProcessController } from './in-process-controller.js';
import { loadPrivateParseSdk, type Parse } from './private-sdk.js';

/** A hooks file that cannot be loaded stops the start-up with this message (main.ts exits with code 2). */
export class CloudCodeError extends ConfigError {}

export interface CloudLoggerWithError extends CloudLogger {
  error(details: object, message: string): void;
}

export async function loadCloudCode(
  file: string,
  services: Services,
  router: ApiRouter,
  log: CloudLoggerWithError,
): Promise<CloudCode> {
  const { config } = services;
  const sdk = loadPrivateParseSdk();
  (sdk as unknown as { initialize(appId: string, jsKey?: string, masterKey?: string): void }).initialize(
    config.appId,
    config.javascriptKey,
    config.masterKey,
  );
  // Only its path matters: batch sub-requests carry the mount path, as from any client.
  sdk.serverURL = `http://in-process${config.mountPath}`;
  sdk.CoreManager.setRESTController(
    inProcessController(sdk, router, services, (error) => log.error({ err: error }, 'cloud code request failed')),
  );
  const cloud = new CloudCode(sdk, services.functions, log);
  Object.assign(sdk.Cloud, cloud.api());
  services.objects.useTriggers(cloud);
  (globalThis as Record<string, unknown>).Parse = sdk;
  let loaded: unknown;
  try {
    // The file is its own parent URL: from a .ts parent, tsx would resolve `x.js` to a sibling `x.ts`.
    const url = pathToFileURL(file).href;
    loaded = await tsImport(url, url);
  } catch (error) {
    throw new CloudCodeError(`cloud code file ${file} failed to load: ${describe(error, file)}`);
  }
  const init = defaultFunction(loaded);
  if (init) {
    try {
      await init(sdk);
    } catch (error) {
      throw new CloudCodeError(`cloud code file ${file}: its default export failed: ${describe(error)}`);
    }
  }
  return cloud;
}

/** ESM `export default fn`, or CommonJS `module.exports = fn` / a transpiled `exports.default = fn`. */
function defaultFunction(loaded: unknown): ((parse: Parse) => unknown) | undefined {
  let value = (loaded as { default?: unknown } | undefined)?.default;
  if (value && typeof value === 'object' && 'default' in value) value = (value as { default: unknown }).default;
  return typeof value === 'function' ? (value as (parse: Parse) => unknown) : undefined;
}

function describe(error: unknown, file?: string): string {
  if (!(error instanceof Error)) return String(error);
  const message = `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return error instanceof SyntaxError && file ? `${message}${syntaxErrorSite(file)}` : message;
}

/**
 * Node reports where a JavaScript syntax error is only when it prints it as fatal, not on the error a failed
 * import rejects with; `node --check` prints it ("file:3", the line, a caret). Only run when loading failed.
 */
function syntaxErrorSite(file: string): string {
  const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8', timeout: 10_000 });
  const lines = (check.stderr ?? '').split('\n');
  const at = lines.findIndex((line) => line.startsWith(file) && /:\d+$/.test(line));
  return at < 0 ? '' : ` at ${lines[at]}\n${lines.slice(at + 1, at + 3).join('\n')}`;
}
