/**
 * Errors meant for users. They carry `userError = true` so the CLI prints the message
 * without a stack trace and picks the exit code.
 */
export class OmError extends Error {
  readonly userError = true;
  /**
   * The CLI's exit code for this error (2: config or plugin problem, 1: anything else). A property,
   * not `instanceof`, so it survives several copies of @om/core (a global CLI loading local plugins).
   */
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ConfigViolation {
  /** JSON path into the config, e.g. `source.serviceConnection.config.bucketName`. */
  path: string;
  message: string;
  hint?: string;
}

/** A bad config file: every violation at once (exit code 2). */
export class ConfigError extends OmError {
  override readonly exitCode: number = 2;
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
  override readonly exitCode: number = 2;
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
