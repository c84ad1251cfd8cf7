/**
 * Sharded runs, end to end: `plan` asks the source for its units and cuts them into N shards; a shard
 * run is an ordinary run whose source reads only its ranges and whose sink deletes nothing; its report
 * (counts, failures, per schema what it saw and whether its listing completed) goes to a file;
 * `finalize` merges the reports, prints one summary and lets the sink mark deleted only the schemas
 * every shard completed.
 */
import { ConfigError } from '../errors';
import { mergeShardStates } from '../incremental/state';
import type { RunFileStore } from '../run-files';
import { configHash, parseShardSpec, planShards, type ShardPlan } from '../shard/plan';
import { mergeShardReports, type MergedReports, type ShardReport } from '../shard/report';
import type { ShardContext, Sink, Source } from '../steps';
import type { WorkflowOptions } from './options';
import { prepareRun } from './run-setup';
import { SourceRunFiles } from './source-run-files';
import type { PipelineState } from './summary';
import { CORE_VERSION } from '../version';
import type { Workflow } from './workflow';

/** Asks the source for its units (cheap facts only) and cuts them into `count` shards. */
export async function planWorkflowShards(config: Record<string, unknown> | string, count: number, options: WorkflowOptions = {}): Promise<ShardPlan> {
  const run = await prepareRun(config, options);
  const section = run.validated.config.source as unknown as Record<string, unknown>;
  const source = await run.build<Source>('source', section);
  try {
    await source.prepare?.();
    if (typeof source.shardUnits !== 'function') {
      throw ConfigError.single('source.type', `source "${String(section.type)}" cannot be sharded`, 'run it without --shard, or use a source that lists buckets or tables (datalake, dynamodb)', options.file);
    }
    const units = await source.shardUnits();
    try {
      return planShards(units, count, configHash(section));
    } catch (err) {
      throw ConfigError.single('--shards', (err as Error).message, 'give a whole number of shards, at least 1');
    }
  } finally {
    await source.close().catch(() => undefined);
    run.abort.abort();
    run.runContainer.clearInstances();
  }
}

/** The shard a `--shard` value names: from a plan file (checked against this config) or planned again. */
export async function shardContextFor(config: Record<string, unknown> | string, spec: string, options: WorkflowOptions = {}): Promise<{ shard: ShardContext; plan: ShardPlan }> {
  let parsed: ReturnType<typeof parseShardSpec>;
  try {
    parsed = parseShardSpec(spec);
  } catch (err) {
    throw ConfigError.single('--shard', (err as Error).message, 'for example --shard 0/4, or --shard plan.json#0 with a plan from: metadata plan');
  }
  let plan: ShardPlan;
  if (parsed.planFile) {
    const access = new SourceRunFiles(config, options);
    try {
      const text = await (await access.for(parsed.planFile, '--shard')).read(parsed.planFile);
      if (text === undefined) throw new Error('no such file');
      plan = JSON.parse(text) as ShardPlan;
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      throw ConfigError.single('--shard', `cannot read the plan ${parsed.planFile}: ${(err as Error).message}`, 'write one with: metadata plan -c <config> --shards N --out plan.json');
    } finally {
      await access.close();
    }
    const run = await prepareRun(config, options);
    const hash = configHash(run.validated.config.source);
    run.abort.abort();
    run.runContainer.clearInstances();
    if (plan.configHash !== hash) {
      throw ConfigError.single('--shard', `${parsed.planFile} was planned for another config (hash ${plan.configHash}, this config ${hash})`, 'plan again with this config');
    }
  } else {
    plan = await planWorkflowShards(config, parsed.of, options);
  }
  if (!Array.isArray(plan.shards) || parsed.index >= plan.shards.length) {
    throw ConfigError.single('--shard', `shard ${parsed.index} does not exist: the plan has ${plan.shards?.length ?? 0} shards (0-based)`, 'give an index below the shard count');
  }
  return { shard: { index: parsed.index, of: plan.shards.length, ranges: plan.shards[parsed.index] }, plan };
}

/** The report of a finished shard run. */
export function shardReportOf(workflow: Workflow, shard: ShardContext, plan: ShardPlan): ShardReport {
  const summary = workflow.summary();
  return {
    version: 1,
    configHash: plan.configHash,
    plan,
    shard: { index: shard.index, of: shard.of },
    startedAt: summary.startedAt,
    finishedAt: new Date().toISOString(),
    state: summary.state,
    steps: summary.steps.map((s) => ({ step: s.step, records: s.records, updated: s.updated, warnings: s.warnings, filtered: s.filtered, errors: s.errors })),
    failures: summary.steps.flatMap((s) => s.failureSamples.map((f) => ({ name: f.name, error: f.error }))),
    schemas: workflow.sink.shardSchemas?.() ?? {},
  };
}

export interface FinalizeResult {
  merged: MergedReports;
  /** The whole run's state from the merged counts and the success threshold. */
  state: PipelineState;
  successPercent: number;
  successThreshold: number;
  /** With `options.state`: the shards' incremental states merged into it. */
  incremental?: { file: string; tables: number; mergedShards: number[] };
}

/** Every shard report under a folder (a path or a URL prefix); other files are left alone. */
export async function readShardReports(files: RunFileStore, folder: string): Promise<{ file: string; report: ShardReport }[]> {
  const out: { file: string; report: ShardReport }[] = [];
  for (const file of await files.list(folder)) {
    if (!file.endsWith('.json')) continue;
    try {
      const report = JSON.parse((await files.read(file)) ?? '') as ShardReport;
      if (report && report.version === 1 && report.shard && report.plan) out.push({ file, report });
    } catch {
      // Not a report (or a torn one): a shard whose report is unreadable counts as missing.
    }
  }
  return out;
}

/** Writes a run file (a plan, a report) at a path or a URL of the config's source store. */
export async function writeRunFile(config: Record<string, unknown> | string, location: string, text: string, option: string, options: WorkflowOptions = {}): Promise<void> {
  const access = new SourceRunFiles(config, options);
  try {
    await (await access.for(location, option)).write(location, text);
  } finally {
    await access.close();
  }
}

/**
 * Merges the reports of one plan and hands the merge to the sink, which marks deleted only the
 * schemas no shard blocks. A missing shard is named; the whole run fails below the threshold.
 * `reports`: the reports, or the folder (path or URL) the shards wrote them to.
 */
export async function finalizeShardRun(config: Record<string, unknown> | string, reportsIn: { file: string; report: ShardReport }[] | string, options: WorkflowOptions = {}): Promise<FinalizeResult> {
  const access = new SourceRunFiles(config, options);
  try {
    return await finalize(config, reportsIn, options, access);
  } finally {
    await access.close();
  }
}

async function finalize(config: Record<string, unknown> | string, reportsIn: { file: string; report: ShardReport }[] | string, options: WorkflowOptions, access: SourceRunFiles): Promise<FinalizeResult> {
  const reports = typeof reportsIn === 'string' ? await readShardReports(await access.for(reportsIn, '--reports'), reportsIn) : reportsIn;
  if (reports.length === 0) throw ConfigError.single('--reports', 'no shard report found', 'give the folder the shard runs wrote their reports to (--shard-report)');
  // The state is merged below, not opened for a run.
  const run = await prepareRun(config, { ...options, state: undefined });
  const hash = configHash(run.validated.config.source);
  const plan = reports[0].report.plan;
  if (plan.configHash !== hash) {
    run.abort.abort();
    throw ConfigError.single('--reports', `${reports[0].file} is the report of another config (hash ${plan.configHash}, this config ${hash})`, 'finalize with the config the shards ran with');
  }
  const merged = mergeShardReports(plan, reports);
  const section = run.validated.config.sink as unknown as Record<string, unknown>;
  const sink = await run.build<Sink>('sink', section);
  try {
    await sink.prepare?.();
    if (merged.missing.length === 0 || merged.schemas.length > 0) await sink.finalizeShards?.(merged);
  } finally {
    await sink.close().catch(() => undefined);
    run.abort.abort();
    run.runContainer.clearInstances();
  }
  let incremental: FinalizeResult['incremental'];
  if (options.state) {
    const { tables, merged: mergedShards } = await mergeShardStates(await access.for(options.state, '--state'), options.state, plan.shards.length, hash, CORE_VERSION);
    incremental = { file: options.state, tables, mergedShards };
  }
  const threshold = run.validated.config.workflowConfig.successThreshold ?? 90;
  const source = merged.steps[0];
  const processed = source ? source.records + source.errors : 0;
  const successPercent = processed === 0 ? 100 : Math.round((10000 * (processed - merged.steps.reduce((n, s) => n + s.errors, 0))) / processed) / 100;
  const failedShards = Object.values(merged.states).some((s) => s === 'failed' || s === 'stopped');
  const state: PipelineState =
    merged.missing.length > 0 || failedShards || successPercent < threshold ? 'failed' : successPercent < 100 ? 'partialSuccess' : 'success';
  return { merged, state, successPercent: Math.max(0, successPercent), successThreshold: threshold, ...(incremental ? { incremental } : {}) };
}
