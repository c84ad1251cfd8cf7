/**
 * What every store adapter does around its SDK calls: leave out objects in cold storage (counted,
 * reported once per listing), turn SDK errors into redacted `ObjectStoreError`s while letting an
 * abort through, and join the run's stop signal with a caller's.
 */
import type { Logger, SecretMasker } from '@om/core';
import { ObjectStoreError, type ObjectInfo, type ObjectStoreErrorCode } from './contract';

export interface ColdStorageOptions {
  /** Leave out objects whose storage class is cold. */
  skipColdStorage?: boolean;
  /** Called once per listing with the number of cold objects left out. */
  onColdSkipped?: (bucket: string, prefix: string, count: number) => void;
}

/** `objects` without those in `coldClasses` when `skipColdStorage` is on; reports the count at the end. */
export async function* withoutColdStorage(
  objects: AsyncIterable<ObjectInfo>,
  coldClasses: readonly string[],
  options: ColdStorageOptions,
  bucket: string,
  prefix: string,
): AsyncGenerator<ObjectInfo> {
  if (!options.skipColdStorage) {
    yield* objects;
    return;
  }
  let cold = 0;
  for await (const o of objects) {
    if (o.storageClass !== undefined && coldClasses.includes(o.storageClass)) cold++;
    else yield o;
  }
  if (cold > 0) options.onColdSkipped?.(bucket, prefix, cold);
}

/** The run's redaction and cold-storage report, as store options (nothing without a context). */
export function adapterReporting(
  context: { logger: Logger; masker: SecretMasker } | undefined,
  coldSkipped: (bucket: string, prefix: string, count: number) => string,
): { redact?: (text: string) => string; onColdSkipped?: (bucket: string, prefix: string, count: number) => void } {
  if (!context) return {};
  return {
    redact: (text) => context.masker.redact(text),
    onColdSkipped: (bucket, prefix, count) => context.logger.info(coldSkipped(bucket, prefix, count)),
  };
}

/** What a classifier makes of an SDK error: the code and a message naming the operation. */
export interface ClassifiedError {
  code: ObjectStoreErrorCode;
  message: string;
  bucket?: string;
  key?: string;
}

/**
 * An `ObjectStoreError` from a classified SDK error: the message goes through the run's masker and
 * the store's own scrubber (signatures, tokens the SDK may echo).
 */
export function storeErrorOf(c: ClassifiedError, scrub: (text: string) => string, redact: (text: string) => string = (t) => t): ObjectStoreError {
  return new ObjectStoreError(c.code, scrub(redact(c.message)), c.bucket, c.key);
}

export function isAbortError(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'AbortError';
}

/** An abort passes through unchanged (a stopped run is not a storage failure); anything else is wrapped. */
export function wrapUnlessAborted(err: unknown, wrap: (err: unknown) => ObjectStoreError): unknown {
  return isAbortError(err) ? err : wrap(err);
}

/** One signal that fires when any of the given ones does (undefined when none is given). */
export function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

/** The first line of an SDK message, cut to 300 characters. */
export function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0].trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
