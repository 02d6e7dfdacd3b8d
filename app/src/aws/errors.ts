/** SDK v3 exceptions carry `name`; these helpers keep adapters free of string checks. */
export function errorName(err: unknown): string {
  return typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : '';
}

export function isNotFound(err: unknown): boolean {
  const name = errorName(err);
  const message = err instanceof Error ? err.message : '';
  return (
    /NotFound|ParameterNotFound|ResourceNotFound|RepositoryNotFound|ImageNotFound/.test(name) ||
    (name === 'InvalidParameterException' && /not found|does not exist|MISSING/i.test(message))
  );
}

export function isConditionFailed(err: unknown): boolean {
  return errorName(err) === 'ConditionalCheckFailedException';
}

/** An AWS call failed; keeps the SDK error as `cause` and names the action for the user. */
export class AwsActionError extends Error {
  readonly code: string;
  constructor(action: string, cause: unknown, hint?: string) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`${action}: ${detail}${hint ? ` — ${hint}` : ''}`, { cause });
    this.code = errorName(cause) || 'AWS_ERROR';
  }
}

const TRANSIENT = /Throttl|TooManyRequests|RequestLimitExceeded|ProvisionedThroughputExceeded|ServiceUnavailable|InternalFailure|InternalServerError|RequestTimeout|TimeoutError|ECONNRESET|ECONNREFUSED|EPIPE/;

/**
 * Worth another try later (throttling, 5xx, network), as opposed to a terminal error (bad input,
 * missing permission). Follows `cause`, since adapters wrap SDK errors.
 */
export function isTransient(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const meta = (e as { $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string }) ?? {};
    if (TRANSIENT.test(errorName(e)) || TRANSIENT.test(String(meta.code ?? ''))) return true;
    if (meta.$retryable) return true;
    if ((meta.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  }
  return false;
}
