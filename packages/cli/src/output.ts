/** Turning a setup failure into an exit code, a message for people and a JSON object for machines. */
import { isUserError, userErrorExitCode, type ConnectionCheckResult } from '@om/core';

/** Where a command writes: stdout for results, stderr for messages (tests pass their own). */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export interface JsonError {
  message: string;
  path?: string;
  hint?: string;
}

export interface SetupFailure {
  exitCode: number;
  /** For stderr. */
  text: string;
  /** For `-o json`: always an object with `errors`. */
  json: { command: string; state: 'invalid' | 'failed'; exitCode: number; errors: JsonError[]; checks?: ConnectionCheckResult[] };
}

/**
 * Exit 2 for a config or plugin problem, 1 for anything else. Read from the error's `exitCode`
 * (not `instanceof`), so a global CLI and a project's own @om/core copy agree.
 */
export function describeSetupFailure(err: unknown, command: string): SetupFailure {
  const user = isUserError(err);
  const exitCode = user ? userErrorExitCode(err) : EXIT_FAILED;
  const message = err instanceof Error ? err.message : String(err);
  const text = user ? message : `Failed to set up the workflow: ${(err as Error)?.stack ?? String(err)}`;
  const violations = (err as { violations?: unknown }).violations;
  const errors: JsonError[] = Array.isArray(violations)
    ? violations.map((v: { path?: string; message: string; hint?: string }) => ({ message: v.message, ...(v.path ? { path: v.path } : {}), ...(v.hint ? { hint: v.hint } : {}) }))
    : [{ message: user ? message : `Failed to set up the workflow: ${message}` }];
  const results = (err as { results?: unknown }).results;
  return {
    exitCode,
    text,
    json: {
      command,
      state: exitCode === EXIT_USAGE ? 'invalid' : 'failed',
      exitCode,
      errors,
      ...(Array.isArray(results) && results.length ? { checks: results as ConnectionCheckResult[] } : {}),
    },
  };
}

/** One line per connection check, as OpenMetadata's test-connection steps are listed. */
export function renderChecks(results: ConnectionCheckResult[], color: boolean): string {
  const paint = (code: string, text: string): string => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  return results
    .map((r) => {
      const mark = r.ok ? paint('32', 'ok    ') : r.skipped ? paint('2', 'skip  ') : paint('31', 'FAILED');
      return `${mark} ${r.step}: ${r.name}${r.detail ? ` — ${r.detail}` : ''}`;
    })
    .join('\n');
}
