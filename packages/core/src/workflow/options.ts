/** What a workflow run can be told, and what its progress reports say. */
import type { DependencyContainer } from 'tsyringe';
import type { LogFormat, Logger, LogLevel } from '../logger';
import type { OmRecord } from '../model/records';
import type { PluginRegistry } from '../plugin/registry';
import type { ShardContext } from '../steps';

export interface ProgressSnapshot {
  elapsedSeconds: number;
  processed: number;
  updated: number;
  filtered: number;
  warnings: number;
  errors: number;
  /** The record being handled, e.g. a table FQN. */
  current?: string;
  /** Records the source expects to yield in all, when it knows (see `Source.expectedRecords`). */
  total?: number;
}

export interface WorkflowOptions {
  /** Plugins to use; default: core's sinks plus every plugin installed near the cwd (OM_PLUGIN_PATH too). */
  registry?: PluginRegistry;
  /** Environment for `${VAR}` expansion; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Logger; default a secret-masking logger on stderr at `workflowConfig.loggerLevel`. */
  logger?: Logger;
  /** Overrides `workflowConfig.loggerLevel` for the default logger (the CLI's -l flag). */
  logLevel?: LogLevel;
  /** Line format and colour of the default logger. */
  logFormat?: LogFormat;
  logColor?: boolean;
  /** Config file name, used in error messages. */
  file?: string;
  onProgress?: (progress: ProgressSnapshot) => void;
  progressIntervalMs?: number;
  /** The container to derive the run's child container from (default tsyringe's root). */
  container?: DependencyContainer;
  /** Called with every record handed to the sink (reports, previews); must not keep much. */
  onRecord?: (record: OmRecord) => void;
  /** Stream for human-readable step output (default process.stdout). */
  stdout?: NodeJS.WritableStream;
  /** Default sink when the config has none (the CLI passes console for quick looks). */
  defaultSink?: { type: string; config?: Record<string, unknown> };
  /**
   * Run the source's connection checks in `create`, before the sink is created (default true):
   * a failure throws {@link ConnectionTestError} and nothing is written.
   */
  testConnection?: boolean;
  /** Folder that relative paths resolve from (default: the config file's folder, else the cwd). */
  configDir?: string;
  /**
   * Read the source and plan every write, send nothing: the configured sink is not created; a
   * {@link PlanSink} lists what it would create, update and delete (sources see `context.dryRun`).
   */
  dryRun?: boolean;
  /** A shard run: the source reads only the shard's ranges and the sink deletes nothing. */
  shard?: ShardContext;
  /**
   * Incremental run: the state file (a shard keeps its own next to it). Tables unchanged since they
   * were last written are not read or sent; the state is written at the end of the run.
   */
  state?: string;
}
