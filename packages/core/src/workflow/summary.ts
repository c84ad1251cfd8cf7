import type { StepStatusSnapshot } from '../status';

/** OpenMetadata's run states, plus `stopped`: the run was interrupted (Ctrl-C, `stop()`) before its end. */
export type PipelineState = 'success' | 'partialSuccess' | 'failed' | 'stopped';

export interface WorkflowSummary {
  runId: string;
  state: PipelineState;
  successPercent: number;
  successThreshold: number;
  startedAt: string;
  elapsedSeconds: number;
  stopped: boolean;
  steps: StepStatusSnapshot[];
}

/** A plain text table; columns are padded, long cells are cut. */
export function renderTable(headers: string[], rows: string[][], maxCell = 80): string {
  const cut = (s: string) => (s.length > maxCell ? `${s.slice(0, maxCell - 1)}…` : s);
  const cells = rows.map((r) => r.map((c) => cut(c.replace(/\s+/g, ' '))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => `| ${r.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ')} |`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(headers), sep, ...cells.map(line)].join('\n');
}

export function formatElapsed(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${h}h ${m}m ${s.toFixed(0)}s` : m > 0 ? `${m}m ${s.toFixed(0)}s` : `${s.toFixed(2)}s`;
}

/** OpenMetadata's printed summary, as readable tables. */
export function renderSummary(summary: WorkflowSummary, options: { debug?: boolean } = {}): string {
  const out: string[] = [];
  out.push(
    renderTable(
      ['Step', 'Processed', 'Updated', 'Warnings', 'Filtered', 'Errors', 'Success %'],
      summary.steps.map((s) => [
        s.step,
        String(s.records),
        String(s.updated),
        String(s.warnings),
        String(s.filtered),
        String(s.errors),
        s.successPercent.toFixed(2),
      ]),
    ),
  );
  const failures = summary.steps.flatMap((s) => s.failureSamples.map((f) => [s.step, f.name, f.error]));
  const totalErrors = summary.steps.reduce((n, s) => n + s.errors, 0);
  if (failures.length > 0) {
    out.push('', `Failures${totalErrors > failures.length ? ` (first ${failures.length} of ${totalErrors})` : ''}:`);
    out.push(renderTable(['From', 'Entity Name', 'Message'], failures, 120));
  }
  const warnings = summary.steps.flatMap((s) => s.warningSamples.map((w) => [s.step, w.name, w.reason]));
  if (warnings.length > 0) {
    out.push('', 'Warnings:');
    out.push(renderTable(['From', 'Entity Name', 'Message'], options.debug ? warnings : warnings.slice(0, 20), 120));
    const totalWarnings = summary.steps.reduce((n, s) => n + s.warnings, 0);
    if (!options.debug && totalWarnings > 20) out.push(`(${totalWarnings - 20} more warnings; use --log-level DEBUG to list them)`);
  }
  const filtered = summary.steps.flatMap((s) => Object.entries(s.filteredByReason).map(([reason, n]) => [s.step, reason, String(n)]));
  if (filtered.length > 0) {
    out.push('', 'Filtered:');
    out.push(renderTable(['From', 'Reason', 'Count'], filtered));
  }
  out.push('');
  out.push(`Success %: ${summary.successPercent.toFixed(2)} (threshold ${summary.successThreshold})`);
  out.push(`Workflow finished in time: ${formatElapsed(summary.elapsedSeconds)}`);
  const verdict =
    summary.stopped
      ? 'Workflow was stopped before the source was exhausted'
      : summary.state === 'success'
        ? 'Workflow finished successfully'
        : summary.state === 'partialSuccess'
          ? 'Workflow finished with some failures (above the success threshold)'
          : 'Workflow finished with failures';
  out.push(verdict);
  return out.join('\n');
}
