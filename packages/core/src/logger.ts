import type { SecretMasker } from './secrets';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARN: 30, ERROR: 40 };

export interface Logger {
  level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ConsoleLoggerOptions {
  level?: LogLevel;
  masker?: SecretMasker;
  /** Where lines go; stderr by default so stdout stays for data (`--output json`). */
  write?: (line: string) => void;
  name?: string;
  /** `json`: one JSON object per line (`time`, `level`, `message`, `logger`), for log collectors. */
  format?: LogFormat;
  /** Colour the level of text lines (the CLI sets it on a terminal unless NO_COLOR is set). */
  color?: boolean;
}

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const COLORS: Record<LogLevel, string> = { DEBUG: '\x1b[2m', INFO: '', WARN: '\x1b[33m', ERROR: '\x1b[31m' };

/** A logger that masks secrets in every line it writes. */
export class ConsoleLogger implements Logger {
  level: LogLevel;
  private readonly write: (line: string) => void;

  constructor(private readonly options: ConsoleLoggerOptions = {}) {
    this.level = options.level ?? 'INFO';
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
  }

  private log(level: LogLevel, message: string): void {
    if (RANK[level] < RANK[this.level]) return;
    const text = this.options.masker ? this.options.masker.redact(message) : message;
    const time = new Date().toISOString();
    if (this.options.format === 'json') {
      this.write(JSON.stringify({ time, level, ...(this.options.name ? { logger: this.options.name } : {}), message: text }));
      return;
    }
    const label = this.options.color && COLORS[level] ? `${COLORS[level]}${level.padEnd(5)}\x1b[0m` : level.padEnd(5);
    this.write(`${time} ${label} ${this.options.name ? `[${this.options.name}] ` : ''}${text}`);
  }

  debug(message: string): void {
    this.log('DEBUG', message);
  }
  info(message: string): void {
    this.log('INFO', message);
  }
  warn(message: string): void {
    this.log('WARN', message);
  }
  error(message: string): void {
    this.log('ERROR', message);
  }
}

export const silentLogger: Logger = {
  level: 'ERROR',
  debug() {},
  info() {},
  warn() {},
  error() {},
};
