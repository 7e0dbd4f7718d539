import Parse from 'parse';

type RestController = ReturnType<typeof Parse.CoreManager.getRESTController>;

export interface RestHooks {
  /** Every answer from the server (success or a Parse error) proves it reachable; a transport failure does not. */
  reachable(isReachable: boolean): void;
  sessionExpired(): void;
}

/**
 * In a browser a failed `fetch` rejects with a TypeError that has a message but no code, and the SDK turns that
 * into a ParseError with an undefined code. `saveEventually` only queues on CONNECTION_FAILED, so without this
 * an offline save would be silently dropped.
 */
export function normalizeParseError(error: unknown): Parse.Error {
  if (error instanceof Parse.Error && typeof error.code === 'number') return error;
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'Network request failed';
  return new Parse.Error(Parse.Error.CONNECTION_FAILED, message);
}

/** Wraps the SDK's REST controller so that session expiry and reachability are observed in one place. */
export function withRestHooks(inner: RestController, hooks: RestHooks): RestController {
  return {
    ...inner,
    request: (...args: Parameters<RestController['request']>) =>
      inner.request(...args).then(
        (response: unknown) => {
          hooks.reachable(true);
          return response;
        },
        (raw: unknown) => {
          const error = normalizeParseError(raw);
          hooks.reachable(error.code !== Parse.Error.CONNECTION_FAILED);
          if (error.code === Parse.Error.INVALID_SESSION_TOKEN) hooks.sessionExpired();
          throw error;
        },
      ),
  };
}
