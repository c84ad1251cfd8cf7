/**
 * Connection checks: what a source or sink tries before a run (OpenMetadata's test-connection
 * steps). The workflow runs the source's checks before the first record reaches a sink; the CLI's
 * `test-connection` runs every check of the source and the sink and prints one line per check.
 */
import { OmError } from './errors';

export interface ConnectionCheck {
  /** What is tried, in words: `list one page of s3://bucket/prefix/`. */
  name: string;
  /** Resolves (optionally with a short detail, e.g. a version) or throws with the reason. */
  run(): Promise<string | void>;
}

export interface ConnectionCheckResult {
  /** `source datalake`, `sink metadata-rest`. */
  step: string;
  name: string;
  ok: boolean;
  /** On success an optional detail; on failure the reason (naming the config field to fix). */
  detail?: string;
  /** True when not run because an earlier check of the same step failed. */
  skipped?: boolean;
}

/**
 * A failed connection check (exit code 1): the run stopped before anything was written.
 * The message names the config field to fix.
 */
export class ConnectionTestError extends OmError {
  constructor(
    message: string,
    readonly results: ConnectionCheckResult[] = [],
  ) {
    super(message);
  }
}

/** A check failure that already names the config field to fix (`field: what went wrong`). */
export class ConnectionCheckFailure extends OmError {
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

/**
 * Runs checks in order; after the first failure the rest are reported as skipped (they depend on
 * the earlier ones: no point listing a bucket with credentials that were just rejected).
 */
export async function runConnectionChecks(step: string, checks: ConnectionCheck[], redact: (text: string) => string = (t) => t): Promise<ConnectionCheckResult[]> {
  const results: ConnectionCheckResult[] = [];
  let failed = false;
  for (const check of checks) {
    if (failed) {
      results.push({ step, name: check.name, ok: false, skipped: true, detail: 'skipped: an earlier check failed' });
      continue;
    }
    try {
      const detail = await check.run();
      results.push({ step, name: check.name, ok: true, ...(detail ? { detail: redact(detail) } : {}) });
    } catch (err) {
      failed = true;
      results.push({ step, name: check.name, ok: false, detail: redact(err instanceof Error ? err.message : String(err)) });
    }
  }
  return results;
}

/** Throws a {@link ConnectionTestError} naming the first failed check, if any. */
export function assertConnectionChecks(results: ConnectionCheckResult[]): void {
  const failed = results.find((r) => !r.ok && !r.skipped);
  if (!failed) return;
  throw new ConnectionTestError(`Connection test failed for ${failed.step} (${failed.name}): ${failed.detail ?? 'failed'}. Nothing was written.`, results);
}
