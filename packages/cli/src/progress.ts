import type { ProgressSnapshot } from '@om/core';

/** A one-line progress display on a TTY; nothing at all when output is piped or in CI. */
export class ProgressLine {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return Boolean(this.stream.isTTY) && !process.env.CI;
  }

  update(p: ProgressSnapshot): void {
    if (!this.enabled) return;
    const width = this.stream.columns || 100;
    let line =
      `⏳ ${p.elapsedSeconds.toFixed(0)}s  processed ${p.processed}  updated ${p.updated}  ` +
      `filtered ${p.filtered}  warnings ${p.warnings}  errors ${p.errors}`;
    if (p.current) line += `  ${p.current}`;
    if (line.length > width - 1) line = `${line.slice(0, width - 2)}…`;
    this.stream.write(`\r\x1b[2K${line}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
