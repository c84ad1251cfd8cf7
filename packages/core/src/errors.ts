/**
 * What kind of failure an error is, which decides how it is shown and what the CLI exits with:
 * - `config`: the config file is invalid or names a plugin that is missing (exit code 2);
 * - `user`: something the user can fix (a bad credential pair, a corrupt file, a bad expression);
 * - `transient`: the system did not answer as it should this time (a retry may work);
 * - `internal`: a bug (the only kind shown with a stack trace).
 * `config` and `user` errors are printed without a stack trace (`userError`).
 */
export type ErrorKind = 'config' | 'user' | 'transient' | 'internal';

/**
 * The one error base of om-ingest. Subclasses only name the failure (and add fields); `userError`
 * and `exitCode` follow from `kind`. Both are properties, not `instanceof`, so they survive several
 * copies of @om/core (a global CLI loading local plugins) and worker-thread boundaries.
 */
export class OmError extends Error {
  readonly kind: ErrorKind;
  /** True for `config` and `user` errors: the CLI prints the message without a stack trace. */
  readonly userError: boolean;
  /** The CLI's exit code for this error (2: config or plugin problem, 1: anything else). */
  readonly exitCode: number;
  constructor(message: string, options: { kind?: ErrorKind; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.kind = options.kind ?? new.target.defaultKind;
    this.userError = this.kind === 'config' || this.kind === 'user';
    this.exitCode = this.kind === 'config' ? 2 : 1;
  }

  /** The kind of a subclass's errors when the constructor is not told (overridden per subclass). */
  static defaultKind: ErrorKind = 'user';
}

export interface ConfigViolation {
  /** JSON path into the config, e.g. `source.serviceConnection.config.bucketName`. */
  path: string;
  message: string;
  hint?: string;
}

/** A bad config file: every violation at once (exit code 2). */
export class ConfigError extends OmError {
  static override defaultKind: ErrorKind = 'config';
  constructor(
    readonly violations: ConfigViolation[],
    readonly file?: string,
  ) {
    super(ConfigError.format(violations, file));
  }

  static single(path: string, message: string, hint?: string, file?: string): ConfigError {
    return new ConfigError([{ path, message, ...(hint ? { hint } : {}) }], file);
  }

  static format(violations: ConfigViolation[], file?: string): string {
    const where = file ? ` in ${file}` : '';
    const head =
      violations.length === 1
        ? `Invalid configuration${where}:`
        : `Invalid configuration${where} (${violations.length} problems):`;
    const lines = violations.map((v) => {
      const at = v.path ? `${v.path}: ` : '';
      return `  - ${at}${v.message}${v.hint ? `\n      hint: ${v.hint}` : ''}`;
    });
    return [head, ...lines].join('\n');
  }
}

/** A needed plugin is missing, disabled or conflicting (exit code 2). */
export class PluginError extends OmError {
  static override defaultKind: ErrorKind = 'config';
}

/** The run finished below the success threshold (exit code 1). */
export class WorkflowExecutionError extends OmError {}

/** The exit code a user error asks for (see {@link OmError.exitCode}); 1 when it says none. */
export function userErrorExitCode(err: unknown): number {
  const code = (err as { exitCode?: unknown } | undefined)?.exitCode;
  if (code === 2 || code === 1) return code;
  // Errors from an older @om/core copy without exitCode: recognise them by name.
  const name = (err as { name?: unknown } | undefined)?.name;
  return name === 'ConfigError' || name === 'PluginError' ? 2 : 1;
}

export function isUserError(err: unknown): err is Error & { userError: true } {
  return err instanceof Error && (err as { userError?: unknown }).userError === true;
}
