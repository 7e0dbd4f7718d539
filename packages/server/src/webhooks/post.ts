/** One delivery attempt: a signed POST with a timeout, never following redirects. */
import { signatureHeader, SIGNATURE_HEADER } from './signature.js';

export interface AttemptResult {
  ok: boolean;
  /** Worth retrying: network error, timeout, 5xx, 408 or 429. */
  retryable: boolean;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export interface PostRequest {
  url: string;
  body: string;
  secret: string;
  event: string;
  deliveryId: string;
  attempt: number;
  timeoutMs: number;
  /** Aborted when the server shuts down. */
  signal: AbortSignal;
}

export async function postWebhook(request: PostRequest): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any([request.signal, AbortSignal.timeout(request.timeoutMs)]),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'crm-webhooks/1',
        'X-CRM-Event': request.event,
        'X-CRM-Delivery': request.deliveryId,
        'X-CRM-Attempt': String(request.attempt),
        [SIGNATURE_HEADER]: signatureHeader(request.secret, request.body),
      },
      body: request.body,
    });
    // The answer's body is not needed; discarding it frees the connection.
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    const ok = status >= 200 && status < 300;
    const retryable = status >= 500 || status === 408 || status === 429;
    return { ok, retryable, statusCode: status, durationMs: elapsed(), ...(ok ? {} : { error: `HTTP ${status}` }) };
  } catch (error) {
    const name = (error as Error).name;
    const message =
      name === 'TimeoutError'
        ? `timed out after ${request.timeoutMs} ms`
        : name === 'AbortError'
          ? 'server shutting down'
          : describeNetworkError(error);
    return { ok: false, retryable: true, error: message, durationMs: elapsed() };
  }
}

/** fetch's "fetch failed" hides the reason (ECONNREFUSED…) in `cause`. */
function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? 'network error';
}
