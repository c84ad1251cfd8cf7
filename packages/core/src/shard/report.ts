/**
 * What a shard run leaves for `finalize`: its counts and failures, and per schema the tables it saw and
 * whether its listing of that schema completed. A shard never deletes; finalize merges the reports and
 * allows mark-deleted for a schema only when every shard that covered it completed its listing.
 */
import { splitFqn } from '../fqn';
import type { ShardPlan } from './plan';

export interface ShardSchemaReport {
  /** Every range of this schema in the shard was listed to its end. */
  complete: boolean;
  /** The config asked for mark-deleted on this schema. */
  markDeletedTables: boolean;
  /** FQNs of the tables the shard saw (written or unchanged). */
  tables: string[];
}

export interface ShardReport {
  version: 1;
  configHash: string;
  /** The plan the shard ran under (so finalize needs only the reports). */
  plan: ShardPlan;
  shard: { index: number; of: number };
  startedAt: string;
  finishedAt: string;
  /** `success`, `partialSuccess`, `failed` or `stopped`, as the run's own summary says. */
  state: string;
  /** The run's summary counts, per step. */
  steps: { step: string; records: number; updated: number; warnings: number; filtered: number; errors: number }[];
  failures: { name: string; error: string }[];
  schemas: Record<string, ShardSchemaReport>;
}

export interface MergedSchema {
  fqn: string;
  seen: Set<string>;
  markDeletedTables: boolean;
  /** Why mark-deleted may not run on this schema (missing, failed or incomplete shards). */
  blockedBy: string[];
}

export interface MergedReports {
  /** Shard indexes the plan has but no report was found for. */
  missing: number[];
  schemas: MergedSchema[];
  steps: ShardReport['steps'];
  failures: ShardReport['failures'];
  /** States of the shards, by index. */
  states: Record<number, string>;
}

/** Merges the reports of one plan; reports of another plan or config are an error naming them. */
export function mergeShardReports(plan: Pick<ShardPlan, 'configHash' | 'shards'>, reports: { file: string; report: ShardReport }[]): MergedReports {
  const count = plan.shards.length;
  const byIndex = new Map<number, { file: string; report: ShardReport }>();
  for (const r of reports) {
    if (r.report.configHash !== plan.configHash) {
      throw new Error(`${r.file} is the report of another config (hash ${r.report.configHash}, this config ${plan.configHash}); keep one plan's reports together`);
    }
    if (r.report.shard.of !== count) throw new Error(`${r.file} is shard ${r.report.shard.index} of ${r.report.shard.of}, but the plan has ${count} shards`);
    const earlier = byIndex.get(r.report.shard.index);
    // A shard run again replaces its earlier report (its re-run completes the picture).
    if (!earlier || earlier.report.finishedAt < r.report.finishedAt) byIndex.set(r.report.shard.index, r);
  }
  const missing = [...Array(count).keys()].filter((i) => !byIndex.has(i));

  // Which shards covered which schemas: from the plan, so a missing shard still blocks its schemas.
  const coverers = new Map<string, number[]>();
  plan.shards.forEach((ranges, i) => {
    for (const r of ranges) coverers.set(r.schema, [...(coverers.get(r.schema) ?? []), i]);
  });
  const schemas = new Map<string, MergedSchema>();
  for (const { report } of byIndex.values()) {
    for (const [fqn, s] of Object.entries(report.schemas)) {
      const merged = schemas.get(fqn) ?? { fqn, seen: new Set<string>(), markDeletedTables: s.markDeletedTables, blockedBy: [] };
      s.tables.forEach((t) => merged.seen.add(t));
      if (!s.complete) merged.blockedBy.push(`shard ${report.shard.index} did not complete its listing`);
      if (report.state === 'failed' || report.state === 'stopped') merged.blockedBy.push(`shard ${report.shard.index} ${report.state}`);
      schemas.set(fqn, merged);
    }
  }
  for (const merged of schemas.values()) {
    const name = splitFqn(merged.fqn).pop()!;
    for (const i of coverers.get(name) ?? []) if (!byIndex.has(i)) merged.blockedBy.push(`shard ${i} has no report`);
  }

  const steps = new Map<string, ShardReport['steps'][number]>();
  const failures: ShardReport['failures'] = [];
  const states: Record<number, string> = {};
  for (const { report } of byIndex.values()) {
    states[report.shard.index] = report.state;
    failures.push(...report.failures);
    for (const s of report.steps) {
      const sum = steps.get(s.step) ?? { step: s.step, records: 0, updated: 0, warnings: 0, filtered: 0, errors: 0 };
      for (const k of ['records', 'updated', 'warnings', 'filtered', 'errors'] as const) sum[k] += s[k];
      steps.set(s.step, sum);
    }
  }
  return { missing, schemas: [...schemas.values()], steps: [...steps.values()], failures, states };
}
