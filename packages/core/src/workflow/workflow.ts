import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { expandEnv } from '../config/env';
import { readConfigFile } from '../config/load';
import type { WorkflowConfig } from '../config/types';
import { validateWorkflowConfig, withoutExtensions, type ValidatedConfig } from '../config/validate';
import { failureFrom, type Either } from '../either';
import { ConfigError, PluginError, WorkflowExecutionError } from '../errors';
import { ConsoleLogger, type Logger, type LogLevel } from '../logger';
import type { PluginRegistry } from '../plugin/registry';
import { recordName, type OmRecord } from '../records';
import { SecretMasker } from '../secrets';
import { StepStatus } from '../status';
import type { Processor, Sink, SinkResult, Source, Step, StepContext, StepFactory, StepKind } from '../steps';
import { LOGGER, SECRET_MASKER, STEP_CONTEXT, WORKFLOW_CONFIG, stepToken } from '../tokens';
import { createPluginRegistry } from './registry-factory';
import { renderSummary, type PipelineState, type WorkflowSummary } from './summary';

export interface ProgressSnapshot {
  elapsedSeconds: number;
  processed: number;
  updated: number;
  filtered: number;
  warnings: number;
  errors: number;
  /** The record being handled, e.g. a table FQN. */
  current?: string;
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
}

/**
 * One run of source → processors → sink. The API mirrors OpenMetadata's Python workflow so
 * schedulers call it the same way: create, execute, stop, printStatus, raiseFromStatus.
 */
export class Workflow {
  readonly runId: string;
  private readonly startedAt = new Date();
  private finishedAt: Date | undefined;
  private fatal: unknown;
  private stopRequested = false;
  private running: Promise<void> | undefined;
  private closed = false;
  private current: string | undefined;
  private readonly pendingWrites = new Set<Promise<void>>();

  private constructor(
    readonly config: WorkflowConfig,
    readonly logger: Logger,
    readonly masker: SecretMasker,
    private readonly container: DependencyContainer,
    readonly source: Source,
    readonly processor: Processor | undefined,
    readonly sink: Sink,
    private readonly options: WorkflowOptions,
    private readonly abort: AbortController,
  ) {
    this.runId = config.pipelineRunId ?? `${config.source.type}-${this.startedAt.toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomBytes(3).toString('hex')}`;
  }

  /**
   * Builds a workflow from a config object or a YAML/JSON file path: expands environment
   * variables, validates against the workflow schema and every needed plugin's schema,
   * and creates the steps in a child DI container for this run.
   */
  static async create(config: Record<string, unknown> | string, options: WorkflowOptions = {}): Promise<Workflow> {
    const file = typeof config === 'string' ? config : options.file;
    const raw = typeof config === 'string' ? readConfigFile(config) : config;
    const expanded = expandEnv(raw, options.env ?? process.env);
    if (expanded.violations.length > 0) throw new ConfigError(expanded.violations, file);
    let value = expanded.value;
    if (!value.sink && options.defaultSink) value = { ...value, sink: options.defaultSink };
    const registry = options.registry ?? createPluginRegistry();
    const validated = await validateWorkflowConfig(value, registry, file);
    if (!validated.config.sink) {
      throw ConfigError.single('sink', 'required key "sink" is missing', 'add e.g. sink: {type: console} or sink: {type: file, config: {filename: out.json}}', file);
    }

    const masker = new SecretMasker();
    masker.collectFrom(validated.config, validated.secretPaths);
    const logger =
      options.logger ?? new ConsoleLogger({ level: options.logLevel ?? validated.config.workflowConfig.loggerLevel ?? 'INFO', masker });

    const runContainer = (options.container ?? rootContainer).createChildContainer();
    runContainer.register(WORKFLOW_CONFIG, { useValue: validated.config });
    runContainer.register(LOGGER, { useValue: logger });
    runContainer.register(SECRET_MASKER, { useValue: masker });
    registerCapabilities(runContainer, validated);

    const abort = new AbortController();
    const connection = validated.config.source.serviceConnection?.config;
    const catalogConnection = connection
      ? withoutExtensions(connection, '/source/serviceConnection/config', validated.extensionPaths)
      : undefined;
    const build = async <S extends Step>(kind: StepKind, section: Record<string, unknown>): Promise<S> => {
      const stepContainer = runContainer.createChildContainer();
      const type = String(section.type);
      const context: StepContext = {
        kind,
        type,
        workflowConfig: validated.config,
        stepConfig: section,
        ...(kind === 'source' && catalogConnection ? { catalogConnection } : {}),
        configDir: file ? path.dirname(path.resolve(file)) : process.cwd(),
        container: stepContainer,
        stdout: options.stdout ?? process.stdout,
        logger,
        masker,
        signal: abort.signal,
      };
      stepContainer.register(STEP_CONTEXT, { useValue: context });
      const token = stepToken(kind, type);
      if (!stepContainer.isRegistered(token, true)) {
        throw new PluginError(`The plugin providing ${kind}:${type} did not register a factory for it`);
      }
      const resolved = stepContainer.resolve(token) as StepFactory<S> | S;
      try {
        const step = 'create' in resolved && typeof resolved.create === 'function' ? await (resolved as StepFactory<S>).create(context) : (resolved as S);
        step.status.redact = (t: string) => masker.redact(t);
        return step;
      } catch (err) {
        if (err instanceof Error && (err as { userError?: boolean }).userError) throw err;
        throw new PluginError(masker.redact(`Failed to create the ${kind} "${type}": ${(err as Error).message ?? err}`));
      }
    };

    const source = await build<Source>('source', validated.config.source as unknown as Record<string, unknown>);
    const processor = validated.config.processor
      ? await build<Processor>('processor', validated.config.processor as unknown as Record<string, unknown>)
      : undefined;
    const sink = await build<Sink>('sink', validated.config.sink as unknown as Record<string, unknown>);
    return new Workflow(validated.config, logger, masker, runContainer, source, processor, sink, options, abort);
  }

  get successThreshold(): number {
    return this.config.workflowConfig.successThreshold ?? 90;
  }

  /** Pulls every record from the source through the processor into the sink. */
  async execute(): Promise<void> {
    if (this.running) return this.running;
    this.running = this.run();
    return this.running;
  }

  private async run(): Promise<void> {
    const timer =
      this.options.onProgress &&
      setInterval(() => this.options.onProgress?.(this.progress()), this.options.progressIntervalMs ?? 1000);
    timer && timer.unref?.();
    this.logger.info(`Starting workflow ${this.runId}: source ${this.config.source.type} → sink ${this.config.sink?.type}`);
    try {
      for await (const item of this.source.records()) {
        if (this.stopRequested) break;
        if (!item.ok) {
          this.source.status.failed(item.error);
          this.logger.warn(`${item.error.name}: ${item.error.error}`);
          continue;
        }
        const record = item.value;
        if (record.kind !== 'schemaDone') this.source.status.scanned();
        this.current = recordName(record);
        for (const next of await this.runProcessor(record)) await this.writeToSink(next);
      }
      await this.settlePendingWrites();
      await this.sink.finish?.({ runFailed: this.hasFailed() || this.stopRequested });
    } catch (err) {
      await this.settlePendingWrites();
      this.fatal = err;
      const failure = failureFrom(this.config.source.type, err, 'the run stopped');
      this.source.status.failed(failure);
      this.logger.error(`${failure.error}`);
    } finally {
      if (timer) clearInterval(timer);
      this.finishedAt = new Date();
      this.current = undefined;
      this.options.onProgress?.(this.progress());
    }
  }

  private async runProcessor(record: OmRecord): Promise<OmRecord[]> {
    if (!this.processor || record.kind === 'schemaDone') return [record];
    try {
      const results = await this.processor.process(record);
      const out: OmRecord[] = [];
      for (const r of results) {
        if (r.ok) {
          this.processor.status.scanned();
          out.push(r.value);
        } else this.processor.status.failed(r.error);
      }
      return out;
    } catch (err) {
      this.processor.status.failed(failureFrom(recordName(record), err));
      return [];
    }
  }

  private async writeToSink(record: OmRecord): Promise<void> {
    this.options.onRecord?.(record);
    try {
      const result = await this.sink.write(record);
      if (record.kind === 'schemaDone') return;
      if (result.ok && result.value.pending) {
        const settled: Promise<void> = result.value.pending
          .then(
            (late) => this.countSinkResult(late),
            (err) => this.sink.status.failed(failureFrom(recordName(record), err)),
          )
          .finally(() => this.pendingWrites.delete(settled));
        this.pendingWrites.add(settled);
        return;
      }
      this.countSinkResult(result);
    } catch (err) {
      this.sink.status.failed(failureFrom(recordName(record), err));
    }
  }

  private countSinkResult(result: Either<SinkResult>): void {
    if (result.ok) {
      this.sink.status.scanned();
      if (result.value.updated) this.sink.status.updatedRecord();
    } else {
      this.sink.status.failed(result.error);
      this.logger.warn(`${result.error.name}: ${result.error.error}`);
    }
  }

  private async settlePendingWrites(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.allSettled([...this.pendingWrites]);
  }

  private steps(): Step[] {
    return [this.source, ...(this.processor ? [this.processor] : []), this.sink];
  }

  private hasFailed(): boolean {
    return this.fatal !== undefined || this.steps().some((s) => s.status.errors > 0);
  }

  progress(): ProgressSnapshot {
    const s = this.steps().map((step) => step.status);
    return {
      elapsedSeconds: ((this.finishedAt ?? new Date()).getTime() - this.startedAt.getTime()) / 1000,
      processed: this.source.status.records,
      updated: this.sink.status.updated,
      filtered: s.reduce((n, x) => n + x.filtered, 0),
      warnings: s.reduce((n, x) => n + x.warnings, 0),
      errors: s.reduce((n, x) => n + x.errors, 0),
      ...(this.current ? { current: this.current } : {}),
    };
  }

  /** Lowest success % over the steps. */
  successPercent(): number {
    return Math.min(...this.steps().map((s) => s.status.successPercent()));
  }

  state(): PipelineState {
    if (this.fatal !== undefined) return 'failed';
    if (!this.steps().some((s) => s.status.errors > 0)) return 'success';
    return this.successPercent() >= this.successThreshold ? 'partialSuccess' : 'failed';
  }

  summary(): WorkflowSummary {
    const end = this.finishedAt ?? new Date();
    return {
      runId: this.runId,
      state: this.state(),
      successPercent: this.successPercent(),
      successThreshold: this.successThreshold,
      startedAt: this.startedAt.toISOString(),
      elapsedSeconds: (end.getTime() - this.startedAt.getTime()) / 1000,
      stopped: this.stopRequested,
      steps: this.steps().map((s) => s.status.snapshot()),
    };
  }

  /** Throws WorkflowExecutionError when the run failed or a step is below the success threshold. */
  raiseFromStatus(raiseWarnings = false): void {
    if (this.fatal !== undefined) {
      throw new WorkflowExecutionError(this.masker.redact(`Source ${this.config.source.type} failed: ${(this.fatal as Error).message ?? this.fatal}`));
    }
    for (const step of this.steps()) {
      const st: StepStatus = step.status;
      if (st.errors > 0 && st.successPercent() < this.successThreshold) {
        const first = st.failureSamples[0];
        throw new WorkflowExecutionError(
          `${st.step} reported ${st.errors} error(s); success ${st.successPercent()}% is below the threshold of ${this.successThreshold}%` +
            (first ? `. First: ${first.name}: ${first.error}` : ''),
        );
      }
      if (raiseWarnings && st.warnings > 0) {
        throw new WorkflowExecutionError(`${st.step} reported ${st.warnings} warning(s)`);
      }
    }
  }

  /** OpenMetadata's `result_status`: 1 when any step has failures, else 0. */
  resultStatus(): 0 | 1 {
    return this.hasFailed() ? 1 : 0;
  }

  printStatus(write: (text: string) => void = (t) => process.stdout.write(t), options: { debug?: boolean } = {}): void {
    write(`${this.masker.redact(renderSummary(this.summary(), options))}\n`);
  }

  /**
   * Stops the run: an execute() in progress ends after the current record, then every step is
   * closed (connections released, files flushed). Safe to call more than once.
   */
  async stop(): Promise<void> {
    this.stopRequested = this.stopRequested || (this.running !== undefined && this.finishedAt === undefined);
    this.abort.abort();
    if (this.running) await this.running.catch(() => undefined);
    if (this.closed) return;
    this.closed = true;
    for (const step of this.steps()) {
      try {
        await step.close();
      } catch (err) {
        step.status.failed(failureFrom(step.status.step, err, 'close failed'));
      }
    }
    this.container.clearInstances();
  }
}

function registerCapabilities(container: DependencyContainer, validated: ValidatedConfig): void {
  const seen = new Set<unknown>();
  for (const c of validated.capabilities) {
    if (seen.has(c.descriptor)) continue;
    seen.add(c.descriptor);
    c.descriptor.register(container);
  }
}

