import type { StepFailure } from './either';

/** How many details of each kind a status keeps; counts are always exact. */
export const STATUS_SAMPLE_SIZE = 100;

export interface KeyedReason {
  name: string;
  reason: string;
}

export interface StepStatusSnapshot {
  step: string;
  records: number;
  updated: number;
  warnings: number;
  filtered: number;
  errors: number;
  successPercent: number;
  warningSamples: KeyedReason[];
  filteredSamples: KeyedReason[];
  failureSamples: StepFailure[];
  /** Filter counts grouped by reason, e.g. `{"Object Filtered Out": 12}`. */
  filteredByReason: Record<string, number>;
}

/**
 * Counts of what one step did. Memory stays bounded for millions of records: exact counts
 * plus the first STATUS_SAMPLE_SIZE details of each kind.
 */
export class StepStatus {
  records = 0;
  updated = 0;
  warnings = 0;
  filtered = 0;
  errors = 0;
  readonly warningSamples: KeyedReason[] = [];
  readonly filteredSamples: KeyedReason[] = [];
  readonly failureSamples: StepFailure[] = [];
  readonly filteredByReason = new Map<string, number>();
  /** Applied to every message stored here so secrets never reach a summary. */
  redact: (text: string) => string = (t) => t;

  constructor(readonly step: string) {}

  scanned(_name?: string): void {
    this.records++;
  }

  updatedRecord(_name?: string): void {
    this.updated++;
  }

  warning(name: string, reason: string): void {
    this.warnings++;
    if (this.warningSamples.length < STATUS_SAMPLE_SIZE) {
      this.warningSamples.push({ name: this.redact(name), reason: this.redact(reason) });
    }
  }

  filter(name: string, reason: string): void {
    this.filtered++;
    this.filteredByReason.set(reason, (this.filteredByReason.get(reason) ?? 0) + 1);
    if (this.filteredSamples.length < STATUS_SAMPLE_SIZE) {
      this.filteredSamples.push({ name: this.redact(name), reason: this.redact(reason) });
    }
  }

  failed(failure: StepFailure): void {
    this.errors += failure.weight !== undefined && Number.isFinite(failure.weight) ? Math.max(1, Math.round(failure.weight)) : 1;
    if (this.failureSamples.length < STATUS_SAMPLE_SIZE) {
      const safe: StepFailure = { name: this.redact(failure.name), error: this.redact(failure.error) };
      if (failure.stackTrace) safe.stackTrace = this.redact(failure.stackTrace);
      this.failureSamples.push(safe);
    }
  }

  /** OpenMetadata's formula: records floored at 1, so an empty step is 100 %. */
  successPercent(): number {
    const records = Math.max(this.records, 1);
    return Math.round(((records * 100) / (records + this.errors)) * 100) / 100;
  }

  snapshot(): StepStatusSnapshot {
    return {
      step: this.step,
      records: this.records,
      updated: this.updated,
      warnings: this.warnings,
      filtered: this.filtered,
      errors: this.errors,
      successPercent: this.successPercent(),
      warningSamples: [...this.warningSamples],
      filteredSamples: [...this.filteredSamples],
      failureSamples: [...this.failureSamples],
      filteredByReason: Object.fromEntries(this.filteredByReason),
    };
  }
}
