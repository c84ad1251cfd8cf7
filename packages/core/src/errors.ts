/**
 * Errors meant for users. They carry `userError = true` so the CLI prints the message
 * without a stack trace and picks the exit code.
 */
export class OmError extends Error {
  readonly userError = true;
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
export class PluginError extends OmError {}

/** The run finished below the success threshold (exit code 1). */
export class WorkflowExecutionError extends OmError {}

export function isUserError(err: unknown): err is Error & { userError: true } {
  return err instanceof Error && (err as { userError?: unknown }).userError === true;
}
