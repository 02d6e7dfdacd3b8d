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
