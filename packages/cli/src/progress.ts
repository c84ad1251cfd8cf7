import type { ProgressSnapshot } from '@om/core';

export const DEFAULT_PROGRESS_INTERVAL_SECONDS = 30;

export interface ProgressOptions {
  /** Where the live line goes (stderr). */
  stream?: NodeJS.WriteStream;
  /** Live line on a terminal; otherwise a log line every `intervalSeconds`. Default: stream.isTTY and not CI. */
  live?: boolean;
  /** Seconds between updates: default 1 for the live line, {@link DEFAULT_PROGRESS_INTERVAL_SECONDS} for log lines. */
  intervalSeconds?: number;
  color?: boolean;
}

/** `12.3/s`, `1.2k/s`. */
function rate(n: number): string {
  return n >= 1000 ? `${(n / 1000).toFixed(1)}k/s` : `${n.toFixed(n >= 10 ? 0 : 1)}/s`;
}

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** The counts of a snapshot in one line: processed (of total), rate, ETA, then the other counts. */
export function formatProgress(p: ProgressSnapshot): string {
  const perSecond = p.elapsedSeconds > 0 ? p.processed / p.elapsedSeconds : 0;
  let head = `processed ${p.processed}`;
  if (p.total !== undefined && p.total > 0) {
    head += `/${p.total} (${Math.min(100, Math.floor((p.processed * 100) / p.total))}%)`;
  }
  const parts = [head, rate(perSecond)];
  if (p.total !== undefined && perSecond > 0 && p.total >= p.processed) parts.push(`ETA ${duration((p.total - p.processed) / perSecond)}`);
  parts.push(`updated ${p.updated}`, `filtered ${p.filtered}`, `warnings ${p.warnings}`, `errors ${p.errors}`, `elapsed ${duration(p.elapsedSeconds)}`);
  return parts.join('  ');
}

/**
 * Progress for humans and machines: on a terminal a live line redrawn every second; off a terminal
 * (CI, Airflow, Kubernetes logs) a log line every `intervalSeconds` with the same counts.
 */
export class ProgressReporter {
  private shown = false;
  private lastLogged = 0;
  private readonly stream: NodeJS.WriteStream;
  readonly live: boolean;
  readonly intervalSeconds: number;
  private readonly color: boolean;
  /** Writes an INFO log line (set once the workflow's logger exists). */
  log: ((line: string) => void) | undefined;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.live = options.live ?? (Boolean(this.stream.isTTY) && !process.env.CI);
    this.intervalSeconds = options.intervalSeconds ?? (this.live ? 1 : DEFAULT_PROGRESS_INTERVAL_SECONDS);
    this.color = options.color ?? false;
  }

  /** How often the workflow should call `update`. */
  get tickMs(): number {
    return Math.max(100, this.intervalSeconds * 1000);
  }

  update(p: ProgressSnapshot): void {
    if (!this.live) {
      // The workflow also reports once at the end; the summary follows, so skip a line that comes early.
      const now = p.elapsedSeconds * 1000;
      if (now - this.lastLogged < this.tickMs * 0.9) return;
      this.lastLogged = now;
      this.log?.(`Progress: ${formatProgress(p)}`);
      return;
    }
    const width = this.stream.columns || 100;
    let line = `${formatProgress(p)}${p.current ? `  ${p.current}` : ''}`;
    if (line.length > width - 1) line = `${line.slice(0, width - 2)}…`;
    if (this.color && p.errors > 0) line = line.replace(/errors \d+/, (m) => `\x1b[31m${m}\x1b[0m`);
    this.stream.write(`\r\x1b[2K${line}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
