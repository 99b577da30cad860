/** Turns HTTP and network failures into errors a student can act on, and classifies them. */

/** An API call that failed; `status` is the HTTP code (0 for network errors). */
export class KubeApiError extends Error {
  override name = 'KubeApiError';
  readonly status: number;
  readonly reason: string | undefined;
  constructor(message: string, status: number, reason?: string, options?: ErrorOptions) {
    super(message, options);
    this.status = status;
    this.reason = reason;
  }
}

/** Whether retrying can help: terminal errors (401/403/422, bad input) fail at once. */
export function classifyApiError(err: unknown): 'retry' | 'terminal' {
  if (err instanceof KubeApiError) {
    if (err.status === 0) return 'retry';
    if ([404, 408, 409, 429].includes(err.status) || err.status >= 500) return 'retry';
    return 'terminal';
  }
  return 'retry';
}

/** Builds a KubeApiError from a non-2xx response body (a v1 Status when the API server answered). */
export function errorFromResponse(method: string, path: string, status: number, body: string): KubeApiError {
  let message = body.slice(0, 300);
  let reason: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: string; reason?: string };
    message = parsed.message ?? message;
    reason = parsed.reason;
  } catch {
    // not JSON (proxy error page): keep the raw start of the body
  }
  return new KubeApiError(`${method} ${path} failed with HTTP ${status}${reason ? ` (${reason})` : ''}: ${message}`, status, reason);
}

/** Builds a KubeApiError for a connection failure, naming the server and the low-level cause. */
export function errorFromNetwork(server: string, err: unknown): KubeApiError {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (err as { code?: string })?.code;
  // A wrapping error (fetch's "fetch failed") says nothing, its cause does; node:https errors carry the code themselves.
  const detail = code ? `${code}${cause?.message && !cause.message.includes(code) ? ` ${cause.message}` : ''}` : cause?.message ?? String((err as Error)?.message ?? err);
  return new KubeApiError(`cannot reach the Kubernetes API server at ${server}: ${detail}`, 0, undefined, { cause: err });
}
