/**
 * Parse's LiveQuery wire protocol: the frames clients send and the ones we answer with. Incoming frames are
 * validated leniently (extra fields the SDK adds are ignored) but strictly enough that nothing malformed
 * reaches the subscription logic.
 */
export type ClientFrame =
  | {
      op: 'connect';
      applicationId?: string;
      sessionToken?: string;
      installationId?: string;
      masterKey?: string;
      javascriptKey?: string;
      clientKey?: string;
    }
  | { op: 'subscribe' | 'update'; requestId: number; query: SubscriptionQuery; sessionToken?: string }
  | { op: 'unsubscribe'; requestId: number }
  | { op: 'query'; requestId: number };

export interface SubscriptionQuery {
  className: string;
  where: Record<string, unknown>;
  keys?: string[];
  watch?: string[];
  include?: string[];
}

export interface ErrorFrame {
  op: 'error';
  code: number;
  error: string;
  reconnect: boolean;
  requestId?: number | null;
}

export class FrameError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly requestId: number | null = null,
    readonly reconnect = false,
  ) {
    super(message);
  }

  toFrame(): ErrorFrame {
    return { op: 'error', code: this.code, error: this.message, reconnect: this.reconnect, requestId: this.requestId };
  }
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function stringList(value: unknown, name: string, requestId: number): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw new FrameError(1, `${name} must be a list of field names`, requestId);
  }
  return list as string[];
}

function requestIdOf(frame: Record<string, unknown>): number {
  const id = frame.requestId;
  if (typeof id !== 'number' || !Number.isInteger(id)) throw new FrameError(1, 'requestId must be an integer');
  return id;
}

function parseQuery(raw: unknown, requestId: number): SubscriptionQuery {
  if (!isObject(raw) || typeof raw.className !== 'string') throw new FrameError(1, 'query needs a className', requestId);
  const where = raw.where ?? {};
  if (!isObject(where)) throw new FrameError(1, 'query.where must be an object', requestId);
  return {
    className: raw.className,
    where,
    keys: stringList(raw.keys ?? raw.fields, 'keys', requestId),
    watch: stringList(raw.watch, 'watch', requestId),
    include: stringList(raw.include, 'include', requestId),
  };
}

/** Text frame → a validated ClientFrame; throws FrameError (never a crash) for anything else. */
export function parseFrame(text: string): ClientFrame {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    throw new FrameError(1, 'Invalid JSON frame');
  }
  if (!isObject(frame)) throw new FrameError(1, 'A frame must be a JSON object');
  switch (frame.op) {
    case 'connect':
      return {
        op: 'connect',
        applicationId: optionalString(frame.applicationId),
        sessionToken: optionalString(frame.sessionToken),
        installationId: optionalString(frame.installationId),
        masterKey: optionalString(frame.masterKey),
        javascriptKey: optionalString(frame.javascriptKey),
        clientKey: optionalString(frame.clientKey),
      };
    case 'subscribe':
    case 'update': {
      const requestId = requestIdOf(frame);
      return {
        op: frame.op,
        requestId,
        query: parseQuery(frame.query, requestId),
        sessionToken: optionalString(frame.sessionToken),
      };
    }
    case 'unsubscribe':
    case 'query':
      return { op: frame.op, requestId: requestIdOf(frame) };
    default:
      throw new FrameError(1, `No enum match for: ${JSON.stringify(frame.op)}`);
  }
}
