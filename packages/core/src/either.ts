/** A failure that belongs to one item (a file, a table, a record), not to the whole run. */
export interface StepFailure {
  /** What failed: a file key, a table FQN, a bucket. */
  name: string;
  /** What went wrong and, where it helps, what to do. */
  error: string;
  /** Only for unexpected (programming) errors; user mistakes carry no stack. */
  stackTrace?: string;
  /**
   * How many failed records this failure stands for (default 1), e.g. the part of a bucket a broken
   * listing could not see: the success % must not treat it as one file.
   */
  weight?: number;
}

/** Sources yield errors as values so one bad item never stops the run. */
export type Either<T> = { ok: true; value: T } | { ok: false; error: StepFailure };

export function right<T>(value: T): Either<T> {
  return { ok: true, value };
}

export function left<T = never>(name: string, error: string, stackTrace?: string): Either<T> {
  return { ok: false, error: stackTrace ? { name, error, stackTrace } : { name, error } };
}

/** Turns an unknown thrown value into a failure; user errors keep no stack trace. */
export function failureFrom(name: string, err: unknown, context?: string): StepFailure {
  const message = err instanceof Error ? err.message : String(err);
  const error = context ? `${context}: ${message}` : message;
  const userFacing = err instanceof Error && (err as { userError?: boolean }).userError === true;
  if (!userFacing && err instanceof Error && err.stack) return { name, error, stackTrace: err.stack };
  return { name, error };
}
