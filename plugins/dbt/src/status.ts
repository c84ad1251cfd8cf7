import { StepStatus, type StepStatusSnapshot } from '@om/core';
import type { TestCaseStatus } from '@om/core';

export type ModelOutcome = 'applied' | 'notFound' | 'failed' | 'filtered';

export interface ModelReport {
  uniqueId: string;
  /** The table FQN tried (the one found, or the last one tried). */
  fqn: string;
  outcome: ModelOutcome;
  /** What was changed on the table: `dataModel`, `description`, `columnDescriptions:N`, `tags:N`, `owner`. */
  applied?: string[];
  reason?: string;
}

export interface DbtDetails {
  /** Artifact sets read (one per manifest). */
  artifactSets: { label: string; manifestVersion?: number; dbtVersion?: string; catalog: boolean; runResults: number }[];
  models: { total: number; applied: number; notFound: number; failed: number; filtered: number };
  tables: { dataModels: number; descriptions: number; columnDescriptions: number; tags: number; owners: number };
  tags: { classification?: string; created: number };
  lineage: { edges: number; skipped: number };
  tests: { definitions: number; cases: number; skipped: number; results: Record<TestCaseStatus, number> };
  /** Up to {@link MODEL_REPORT_LIMIT} per-model lines. */
  perModel: ModelReport[];
}

export interface DbtStatusSnapshot extends StepStatusSnapshot {
  dbt: DbtDetails;
}

export const MODEL_REPORT_LIMIT = 1000;

/**
 * The source status: core's counts (records = models applied, warnings = tables not found, owners
 * not matched…, errors = failed API calls per model/test) plus what was applied.
 */
export class DbtStatus extends StepStatus {
  readonly details: DbtDetails = {
    artifactSets: [],
    models: { total: 0, applied: 0, notFound: 0, failed: 0, filtered: 0 },
    tables: { dataModels: 0, descriptions: 0, columnDescriptions: 0, tags: 0, owners: 0 },
    tags: { created: 0 },
    lineage: { edges: 0, skipped: 0 },
    tests: { definitions: 0, cases: 0, skipped: 0, results: { Success: 0, Failed: 0, Aborted: 0, Queued: 0 } },
    perModel: [],
  };

  constructor() {
    super('Source dbt');
  }

  model(report: ModelReport): void {
    this.details.models.total++;
    this.details.models[report.outcome === 'applied' ? 'applied' : report.outcome]++;
    if (this.details.perModel.length < MODEL_REPORT_LIMIT) {
      this.details.perModel.push({ ...report, fqn: this.redact(report.fqn), ...(report.reason ? { reason: this.redact(report.reason) } : {}) });
    }
  }

  override snapshot(): DbtStatusSnapshot {
    return { ...super.snapshot(), dbt: structuredClone(this.details) };
  }
}
