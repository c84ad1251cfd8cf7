/**
 * The three step kinds of a workflow. A plugin binds a StepFactory to `stepToken(kind, type)`;
 * the workflow resolves it from a per-step child container and calls `create`.
 */
import type { DependencyContainer } from 'tsyringe';
import type { ConnectionCheck } from './connection';
import type { Either } from './either';
import type { Logger } from './logger';
import type { OmRecord } from './model/records';
import type { SecretMasker } from './secrets';
import type { StepStatus } from './status';
import type { WorkflowConfig } from './config/types';
import type { ShardRange } from './shard/plan';
import type { MergedReports, ShardSchemaReport } from './shard/report';
import type { IncrementalLookup } from './incremental/state';
import type { RunFileStore } from './run-files';

export type StepKind = 'source' | 'processor' | 'sink';

export interface StepContext {
  kind: StepKind;
  /** The step's `type` string from the config. */
  type: string;
  /** The whole validated workflow config. */
  workflowConfig: WorkflowConfig;
  /** This step's own section (`source`, `sink`, one `processor`). */
  stepConfig: Record<string, unknown>;
  /** The step's child container: resolve further capabilities (object stores...) from it. */
  container: DependencyContainer;
  logger: Logger;
  masker: SecretMasker;
  /**
   * The source's `serviceConnection.config` as it may be sent to OpenMetadata: om-ingest extension
   * fields (local root, retry tuning, emulator endpoints...) removed. Sources put this, not the raw
   * config, into their CreateDatabaseServiceRequest.
   */
  catalogConnection?: Record<string, unknown>;
  /** Directory of the config file (cwd for in-memory configs): resolve relative paths against it. */
  configDir: string;
  /** Where human-readable output (the console sink) goes; stderr when stdout carries JSON. */
  stdout: NodeJS.WritableStream;
  /** Aborted when the workflow is stopped; long operations should check it. */
  signal: AbortSignal;
  /**
   * `--dry-run`: read, plan, send nothing. Only sources that write by themselves (dbt) need to look;
   * the workflow replaces the sink with a planning one.
   */
  dryRun?: boolean;
  /**
   * A shard run (`--shard`): the source reads only these ranges, the sink deletes nothing and keeps
   * what a finalize step needs (`Sink.shardSchemas`).
   */
  shard?: ShardContext;
  /**
   * An incremental run (`--state`): tables whose fingerprint is unchanged are not read; the source
   * yields `tableUnchanged` for them (see core's incremental/state.ts). Sources see it only when they
   * say `Source.incremental`.
   */
  incremental?: IncrementalLookup;
}

/** Which part of a sharded run this is (see core's shard/plan.ts). */
export interface ShardContext {
  index: number;
  of: number;
  ranges: ShardRange[];
}

export interface Step {
  readonly status: StepStatus;
  /**
   * What to try to know the step can reach its system (cheap: one page of a listing, a version
   * call). The workflow runs a source's checks before the first record reaches the sink.
   */
  connectionChecks?(): ConnectionCheck[];
  /**
   * Connects to the step's system. Creating a step (`StepFactory.create`) only reads its config and
   * contacts nothing, so `validate` stays offline; the workflow calls this once per step before the
   * first record (a source's before its connection checks), and `close` follows even when it fails.
   */
  prepare?(): Promise<void>;
  /** Releases connections and flushes output. Called once, also after failures. */
  close(): Promise<void>;
}

export interface Source extends Step {
  /**
   * Checks that the source can be reached before anything is read; throws with a message naming
   * the config field to fix. Used by the workflow when the source has no `connectionChecks`.
   */
  testConnection?(): Promise<void>;
  /**
   * Yields records in hierarchy order (service, database, schema, tables...). Per-item
   * problems are `{ok:false}` values, never throws; a throw means the whole source failed.
   */
  records(): AsyncIterable<Either<OmRecord>>;
  /**
   * How many records (as counted in `status.records`) the source will yield in all, once it knows
   * (e.g. after the last listing page); undefined while unknown. Progress shows a total and an ETA.
   */
  expectedRecords?(): number | undefined;
  /**
   * Its work cut into ordered units from cheap facts (buckets, folders; tables by name), for a shard
   * plan; a source without it cannot be sharded.
   */
  shardUnits?(): Promise<ShardRange[]>;
  /**
   * True when the source reads only new or changed tables given `context.incremental`, putting a
   * fingerprint on each table record; a run with a state refuses other sources.
   */
  readonly incremental?: boolean;
  /**
   * Run files (shard plans and reports, incremental state) at URLs of this source's store (`s3://...`):
   * a store for `scheme`, or undefined when the source's store is another one (see core's run-files.ts).
   */
  runFiles?(scheme: string): RunFileStore | undefined;
}

export interface Processor extends Step {
  /** Transforms one record; may drop it (empty array) or fan out. */
  process(record: OmRecord): Promise<Either<OmRecord>[]>;
}

export interface SinkResult {
  /** True when the write changed an existing entity (counted as updated). */
  updated?: boolean;
  /**
   * For sinks that write concurrently: the write was accepted and finishes later. The workflow
   * counts the record when this settles (its own `pending` is ignored) and waits for every
   * pending write before `finish`.
   */
  pending?: Promise<Either<SinkResult>>;
}

export interface Sink extends Step {
  /** Writes one record; a per-record problem is returned, not thrown. */
  write(record: OmRecord): Promise<Either<SinkResult>>;
  /** Called once the source is exhausted, before close (flush batches, post-processing). */
  finish?(context: { runFailed: boolean }): Promise<void>;
  /** In a shard run: per schema, what the shard saw and whether its listing completed (for finalize). */
  shardSchemas?(): Record<string, ShardSchemaReport>;
  /** Finalize of a sharded run: mark-deleted for the schemas every shard completed; returns what it did. */
  finalizeShards?(merged: MergedReports): Promise<void>;
}

export interface StepFactory<S extends Step = Step> {
  /** Builds the step from its config; no I/O here (that goes in `Step.prepare`). */
  create(context: StepContext): Promise<S> | S;
  /**
   * Connection checks that need no step instance (each check reports one call on its own):
   * `metadata test-connection` runs these instead of creating the step.
   */
  connectionChecks?(context: StepContext): Promise<ConnectionCheck[]> | ConnectionCheck[];
}
