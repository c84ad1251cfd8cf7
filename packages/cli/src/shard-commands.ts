/**
 * `metadata plan`, the shard options of `ingest`, and `metadata finalize`: one ingestion split into
 * independent shard runs (Airflow mapped tasks, a Kubernetes Indexed Job) and merged at the end.
 */
import * as path from 'node:path';
import {
  finalizeShardRun,
  planWorkflowShards,
  absoluteLocation,
  renderTable,
  runFilesFor,
  shardReportOf,
  writeRunFile,
  type PluginRegistry,
  type ShardContext,
  type ShardPlan,
  type Workflow,
} from '@om/core';
import type { ConfigInput } from './config-input';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './output';


/** Where a shard's report goes by default: the working folder, named after the shard. */
export function defaultReportFile(shard: ShardContext): string {
  return path.resolve(`shard-${shard.index}-of-${shard.of}.json`);
}

/** Writes a shard run's report (atomically: a half-written report must not look like a shard's), to a path or a URL of the source's store. */
export async function writeShardReport(workflow: Workflow, shard: ShardContext, plan: ShardPlan, file: string): Promise<string> {
  const report = shardReportOf(workflow, shard, plan);
  await runFilesFor(file, workflow.source, '--shard-report').write(file, `${workflow.masker.redact(JSON.stringify(report, null, 2))}\n`);
  return file;
}

export async function planCommand(input: ConfigInput, registry: PluginRegistry, shards: number, outFile: string | undefined, io: CliIo): Promise<number> {
  const plan = await planWorkflowShards(input.raw, shards, { registry, file: input.label, configDir: input.configDir });
  const text = `${JSON.stringify(plan, null, 2)}\n`;
  if (outFile) {
    await writeRunFile(input.raw, outFile, text, '--out', { registry, file: input.label, configDir: input.configDir });
    const ranges = plan.shards.map((s, i) => [String(i), String(s.length), s.map((r) => `${r.schema}:${r.from ?? '…'}→${r.to ?? '…'}`).join(', ')]);
    io.stderr(`${renderTable(['Shard', 'Ranges', 'Keys'], ranges, 100)}\nPlan of ${plan.shards.length} shard(s) written to ${outFile}\n`);
  } else {
    io.stdout(text);
  }
  return EXIT_OK;
}

export async function finalizeCommand(input: ConfigInput, registry: PluginRegistry, reportsDir: string, output: 'table' | 'json', io: CliIo, stateFile?: string): Promise<number> {
  const result = await finalizeShardRun(input.raw, reportsDir, { registry, file: input.label, configDir: input.configDir, ...(stateFile ? { state: absoluteLocation(stateFile) } : {}) });
  const incremental = result.incremental;
  const { merged } = result;
  const blocked = merged.schemas.filter((s) => s.markDeletedTables && s.blockedBy.length > 0);
  if (output === 'json') {
    io.stdout(
      `${JSON.stringify(
        {
          command: 'finalize',
          state: result.state,
          successPercent: result.successPercent,
          successThreshold: result.successThreshold,
          shards: Object.keys(merged.states).length + merged.missing.length,
          missingShards: merged.missing,
          steps: merged.steps,
          markDeletedBlocked: blocked.map((s) => ({ schema: s.fqn, reasons: s.blockedBy })),
          ...(incremental ? { incrementalState: incremental } : {}),
        },
        null,
        2,
      )}\n`,
    );
  } else {
    io.stdout(
      `${renderTable(
        ['Step', 'Processed', 'Updated', 'Warnings', 'Filtered', 'Errors'],
        merged.steps.map((s) => [s.step, String(s.records), String(s.updated), String(s.warnings), String(s.filtered), String(s.errors)]),
      )}\n`,
    );
    if (merged.missing.length > 0) io.stdout(`Missing shard report(s): ${merged.missing.join(', ')}\n`);
    for (const s of blocked) io.stdout(`mark-deleted blocked for ${s.fqn}: ${s.blockedBy.join('; ')}\n`);
    if (incremental) {
      io.stdout(`Incremental state ${incremental.file}: ${incremental.tables} table(s) after merging shard state(s) ${incremental.mergedShards.join(', ') || '(none found)'}\n`);
    }
    io.stdout(`Success %: ${result.successPercent.toFixed(2)} (threshold ${result.successThreshold}); finalize ${result.state}\n`);
  }
  return result.state === 'success' || result.state === 'partialSuccess' ? EXIT_OK : EXIT_FAILED;
}
