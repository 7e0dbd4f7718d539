/**
 * A private copy of the `parse/node` SDK for cloud code. The SDK keeps its configuration (server URL, keys,
 * REST controller) in a module-level singleton; cloud code needs one wired to this server in-process, and
 * must not rewire the copy the rest of the process may use (a test's client, another server in the same
 * process). Loading the SDK's files again with Node's CommonJS cache set aside gives an independent
 * instance; the cache is then restored, so later `require('parse/node')` calls get the usual shared one.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type ParseSdk from 'parse/node';

export type Parse = typeof ParseSdk;

export function loadPrivateParseSdk(): Parse {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('parse/node');
  const root = path.dirname(entry) + path.sep;
  const cache = require.cache;
  const ownFiles = (): string[] => Object.keys(cache).filter((file) => file.startsWith(root));
  const shared = new Map(ownFiles().map((file) => [file, cache[file]]));
  for (const file of shared.keys()) delete cache[file];
  try {
    return require(entry) as Parse;
  } finally {
    for (const file of ownFiles()) delete cache[file];
    for (const [file, module] of shared) cache[file] = module;
  }
}

export type SdkObject = InstanceType<Parse['Object']>;

/** The SDK's wire decoder (Pointer JSON → Parse.Object, Date JSON → Date…); public but untyped. */
export const sdkDecode = (sdk: Parse, value: unknown): unknown =>
  (sdk as unknown as { _decode(key: unknown, value: unknown): unknown })._decode(undefined, value);

/** The SDK's wire encoder, full objects included (Parse Server answers functions' Parse.Objects this way). */
export const sdkEncode = (sdk: Parse, value: unknown): unknown =>
  (sdk as unknown as { _encode(value: unknown, _: unknown, disallowObjects: boolean): unknown })._encode(value, undefined, false);
