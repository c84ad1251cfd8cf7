import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { expandEnv } from '../config/env';
import { readConfigFile } from '../config/load';
import type { WorkflowConfig } from '../config/types';
import { validateWorkflowConfig, withoutExtensions, type ValidatedConfig } from '../config/validate';
import { assertConnectionChecks, runConnectionChecks, type ConnectionCheckResult } from '../connection';
import { failureFrom, type Either, type StepFailure } from '../either';
import { ConfigError, PluginError, WorkflowExecutionError } from '../errors';
import { ConsoleLogger, type LogFormat, type Logger, type LogLevel } from '../logger';
import type { PluginRegistry } from '../plugin/registry';
import { recordName, type OmRecord } from '../model/records';
import { isSecretKey, SecretMasker } from '../secrets';
import { StepStatus } from '../status';
import type { Processor, Sink, SinkResult, Source, Step, StepContext, StepFactory, StepKind } from '../steps';
import { LOGGER, SECRET_MASKER, STEP_CONTEXT, WORKFLOW_CONFIG, stepToken } from '../tokens';
import { TABLE_CATALOG } from '../catalog';
import { PlanSink } from '../sinks/plan-sink';
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
    const run = await prepareRun(config, options);
    const { validated, logger, masker, runContainer, abort } = run;
    const sourceSection = validated.config.source as unknown as Record<string, unknown>;
    const source = await run.build<Source>('source', sourceSection);
    const built: Step[] = [source];
    try {
      await prepareStep(source, 'source', String(sourceSection.type), masker);
      if (options.testConnection !== false) {
        // Before the sink connects: nothing may be written (not even a service) when the source
        // cannot be read.
        await checkSourceConnection(source, String(sourceSection.type), masker);
        logger.debug(`Connection test of source ${String(sourceSection.type)} passed`);
      }
      const processor = validated.config.processor
        ? await run.build<Processor>('processor', validated.config.processor as unknown as Record<string, unknown>)
        : undefined;
      if (processor) built.push(processor);
      const sinkSection = validated.config.sink as unknown as Record<string, unknown>;
      const sink = options.dryRun ? planSink(run, sinkSection) : await run.build<Sink>('sink', sinkSection);
      built.push(sink);
      if (processor) await prepareStep(processor, 'processor', String((validated.config.processor as { type?: unknown }).type), masker);
      await prepareStep(sink, 'sink', String(sinkSection.type), masker);
      return new Workflow(validated.config, logger, masker, runContainer, source, processor, sink, options, abort);
    } catch (err) {
      for (const step of built) await step.close().catch(() => undefined);
      throw err;
    }
  }

  /**
   * Checks a config offline: environment variables, the workflow schema, the plugins it needs and
   * their schemas. Creates no step and contacts nothing (the CLI's `validate`).
   */
  static async validate(config: Record<string, unknown> | string, options: WorkflowOptions = {}): Promise<void> {
    const run = await prepareRun(config, options);
    run.runContainer.clearInstances();
  }

  /**
   * Runs the connection checks of the source and the sink without running the workflow (the CLI's
   * `test-connection`, `validate --connect`). A step whose factory has `connectionChecks` is not
   * created (those checks report each call on its own); other steps are created, prepared, checked
   * and closed.
   */
  static async testConnections(config: Record<string, unknown> | string, options: WorkflowOptions = {}): Promise<ConnectionCheckResult[]> {
    const run = await prepareRun(config, options);
    const results: ConnectionCheckResult[] = [];
    const sections: [StepKind, Record<string, unknown>][] = [
      ['source', run.validated.config.source as unknown as Record<string, unknown>],
      ['sink', run.validated.config.sink as unknown as Record<string, unknown>],
    ];
    try {
      for (const [kind, section] of sections) {
        const label = `${kind} ${String(section.type)}`;
        const factory = run.factory(kind, section);
        if (factory && typeof factory.connectionChecks === 'function') {
          const checks = await factory.connectionChecks(run.contextFor(kind, section));
          results.push(...(await runConnectionChecks(label, checks, (t) => run.masker.redact(t))));
          continue;
        }
        let step: Step;
        try {
          step = await run.build<Step>(kind, section);
        } catch (err) {
          results.push({ step: label, name: `create the ${kind}`, ok: false, detail: run.masker.redact((err as Error)?.message ?? String(err)) });
          continue;
        }
        try {
          await step.prepare?.();
        } catch (err) {
          await step.close().catch(() => undefined);
          results.push({ step: label, name: `connect the ${kind}`, ok: false, detail: run.masker.redact((err as Error)?.message ?? String(err)) });
          continue;
        }
        try {
          results.push(...(await stepConnectionResults(step, label, run.masker)));
        } finally {
          await step.close().catch(() => undefined);
        }
      }
    } finally {
      run.abort.abort();
      run.runContainer.clearInstances();
    }
    return results;
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
    const records = this.source.records()[Symbol.asyncIterator]();
    // stop() must not wait for a source read that never answers: the wait for the next record
    // races the stop signal, and the steps are closed (sockets destroyed) after the loop.
    const stopped = new Promise<'stopped'>((resolve) => {
      if (this.abort.signal.aborted) resolve('stopped');
      else this.abort.signal.addEventListener('abort', () => resolve('stopped'), { once: true });
    });
    try {
      for (;;) {
        const pending = records.next();
        pending.catch(() => undefined);
        const next = await Promise.race([pending, stopped]);
        if (next === 'stopped' || this.stopRequested) {
          // Not awaited: a generator stuck in a read only returns once that read settles.
          records.return?.(undefined)?.catch(() => undefined);
          break;
        }
        if (next.done) break;
        const item = next.value;
        if (!item.ok) {
          this.source.status.failed(item.error);
          // A failure counts against the success threshold: ERROR, not WARN.
          this.logger.error(`${item.error.name}: ${item.error.error}`);
          continue;
        }
        const record = item.value;
        if (record.kind !== 'schemaDone') this.source.status.scanned();
        this.current = recordName(record);
        for (const out of await this.runProcessor(record)) await this.writeToSink(out);
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
        } else this.stepFailed(this.processor, r.error);
      }
      return out;
    } catch (err) {
      this.stepFailed(this.processor, failureFrom(recordName(record), err));
      return [];
    }
  }

  /** A failure counts against the success threshold, so it is logged at ERROR (never WARN). */
  private stepFailed(step: Step, failure: StepFailure): void {
    step.status.failed(failure);
    this.logger.error(this.masker.redact(`${failure.name}: ${failure.error}`));
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
            (err) => this.stepFailed(this.sink, failureFrom(recordName(record), err)),
          )
          .finally(() => this.pendingWrites.delete(settled));
        this.pendingWrites.add(settled);
        return;
      }
      this.countSinkResult(result);
    } catch (err) {
      this.stepFailed(this.sink, failureFrom(recordName(record), err));
    }
  }

  private countSinkResult(result: Either<SinkResult>): void {
    if (result.ok) {
      this.sink.status.scanned();
      if (result.value.updated) this.sink.status.updatedRecord();
    } else {
      this.sink.status.failed(result.error);
      this.logger.error(`${result.error.name}: ${result.error.error}`);
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
    // Only while running: a source may start counting on the first call, pointless once it is done.
    const total = this.finishedAt ? undefined : this.source.expectedRecords?.();
    return {
      elapsedSeconds: ((this.finishedAt ?? new Date()).getTime() - this.startedAt.getTime()) / 1000,
      processed: this.source.status.records,
      updated: this.sink.status.updated,
      filtered: s.reduce((n, x) => n + x.filtered, 0),
      warnings: s.reduce((n, x) => n + x.warnings, 0),
      errors: s.reduce((n, x) => n + x.errors, 0),
      ...(this.current ? { current: this.current } : {}),
      ...(total !== undefined ? { total } : {}),
    };
  }

  /** Lowest success % over the steps. */
  successPercent(): number {
    return Math.min(...this.steps().map((s) => s.status.successPercent()));
  }

  state(): PipelineState {
    // A stopped run saw only part of the source: never a success, whatever it counted.
    if (this.stopRequested) return 'stopped';
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
   * Stops the run: an execute() in progress ends after the current record (without waiting for a
   * source read in flight), then every step is closed (connections released, files flushed). Safe
   * to call more than once.
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


interface PreparedRun {
  validated: ValidatedConfig;
  logger: Logger;
  masker: SecretMasker;
  runContainer: DependencyContainer;
  abort: AbortController;
  contextFor(kind: StepKind, section: Record<string, unknown>): StepContext;
  /** The factory (or ready step) bound for the section's type; undefined when the plugin bound nothing. */
  factory(kind: StepKind, section: Record<string, unknown>): StepFactory | undefined;
  build<S extends Step>(kind: StepKind, section: Record<string, unknown>): Promise<S>;
}

/**
 * Expands environment variables, validates against the workflow schema and every needed plugin's
 * schema, and sets up the run's child DI container; steps are built from it on demand.
 */
async function prepareRun(config: Record<string, unknown> | string, options: WorkflowOptions): Promise<PreparedRun> {
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

  // Relative paths in the config (file sink, local store root...) resolve from the config's folder.
  const configDir = options.configDir ?? (file && file !== '-' ? path.dirname(path.resolve(file)) : process.cwd());
  resolveFilePaths(validated.config as unknown as Record<string, unknown>, validated.filePaths, configDir);

  const masker = new SecretMasker();
  masker.collectFrom(validated.config, validated.secretPaths);
  const logger =
    options.logger ??
    new ConsoleLogger({
      level: options.logLevel ?? validated.config.workflowConfig.loggerLevel ?? 'INFO',
      masker,
      ...(options.logFormat ? { format: options.logFormat } : {}),
      ...(options.logColor ? { color: true } : {}),
    });
  for (const { path: at, name } of expanded.leftAsWritten) {
    // The name is part of the value: do not echo it from a secret (a password with a `$`).
    const pointer = `/${at.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}`;
    const secret = validated.secretPaths.has(pointer) || isSecretKey(at.replace(/\[\d+\]$/, '').split('.').pop() ?? '');
    logger.debug(`${at}: ${secret ? 'a "$name"' : `"$${name}"`} was left as written: no such environment variable (write $$ for a literal $)`);
  }

  const runContainer = (options.container ?? rootContainer).createChildContainer();
  runContainer.register(WORKFLOW_CONFIG, { useValue: validated.config });
  runContainer.register(LOGGER, { useValue: logger });
  runContainer.register(SECRET_MASKER, { useValue: masker });
  registerCapabilities(runContainer, validated);

  const abort = new AbortController();
  const connection = validated.config.source.serviceConnection?.config;
  const catalogConnection = connection ? withoutExtensions(connection, '/source/serviceConnection/config', validated.extensionPaths) : undefined;
  const contextFor = (kind: StepKind, section: Record<string, unknown>): StepContext => {
    const stepContainer = runContainer.createChildContainer();
    const context: StepContext = {
      kind,
      type: String(section.type),
      workflowConfig: validated.config,
      stepConfig: section,
      ...(kind === 'source' && catalogConnection ? { catalogConnection } : {}),
      configDir,
      container: stepContainer,
      stdout: options.stdout ?? process.stdout,
      logger,
      masker,
      signal: abort.signal,
      ...(options.dryRun ? { dryRun: true } : {}),
    };
    stepContainer.register(STEP_CONTEXT, { useValue: context });
    return context;
  };
  const resolve = (context: StepContext): StepFactory | Step => {
    const token = stepToken(context.kind, context.type);
    if (!context.container.isRegistered(token, true)) {
      throw new PluginError(`The plugin providing ${context.kind}:${context.type} did not register a factory for it`);
    }
    return context.container.resolve(token) as StepFactory | Step;
  };
  const isFactory = (x: StepFactory | Step): x is StepFactory => 'create' in x && typeof x.create === 'function';
  return {
    validated,
    logger,
    masker,
    runContainer,
    abort,
    contextFor,
    factory(kind, section) {
      const resolved = resolve(contextFor(kind, section));
      return isFactory(resolved) ? resolved : undefined;
    },
    async build<S extends Step>(kind: StepKind, section: Record<string, unknown>): Promise<S> {
      const context = contextFor(kind, section);
      const resolved = resolve(context);
      try {
        const step = (isFactory(resolved) ? await resolved.create(context) : resolved) as S;
        step.status.redact = (t: string) => masker.redact(t);
        return step;
      } catch (err) {
        if (err instanceof Error && (err as { userError?: boolean }).userError) throw err;
        throw new PluginError(masker.redact(`Failed to create the ${kind} "${context.type}": ${(err as Error).message ?? err}`));
      }
    },
  };
}

/**
 * Makes the relative file paths a schema marks `omPath` absolute, from the config's folder. Inline
 * content some of these fields also accept (a PEM block) is left alone.
 */
function resolveFilePaths(config: Record<string, unknown>, pointers: Set<string>, configDir: string): void {
  for (const pointer of pointers) {
    const keys = pointer.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop();
    let node: unknown = config;
    for (const k of keys) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
    if (!node || typeof node !== 'object' || last === undefined) continue;
    const value = (node as Record<string, unknown>)[last];
    if (typeof value !== 'string' || value === '' || value.includes('\n') || value.includes('-----BEGIN') || path.isAbsolute(value)) continue;
    (node as Record<string, unknown>)[last] = path.resolve(configDir, value);
  }
}

/** The dry run's sink: plans against the catalog the configured sink's plugin binds, if any. */
function planSink(run: PreparedRun, section: Record<string, unknown>): Sink {
  const context = run.contextFor('sink', section);
  const catalog = context.container.isRegistered(TABLE_CATALOG, true) ? context.container.resolve(TABLE_CATALOG) : undefined;
  return new PlanSink(context.type, context, catalog);
}

/** A step's own checks, or its `testConnection` as one check. */
async function stepConnectionResults(step: Step, label: string, masker: SecretMasker): Promise<ConnectionCheckResult[]> {
  if (step.connectionChecks) return runConnectionChecks(label, step.connectionChecks(), (t) => masker.redact(t));
  const test = (step as Source).testConnection;
  if (typeof test === 'function') return runConnectionChecks(label, [{ name: 'connect', run: () => test.call(step) }], (t) => masker.redact(t));
  return [{ step: label, name: 'connect', ok: true, detail: 'nothing to check (this step connects to nothing)' }];
}

/** A step's `prepare()`; a failure that is not the user's becomes a PluginError naming the step. */
async function prepareStep(step: Step, kind: StepKind, type: string, masker: SecretMasker): Promise<void> {
  try {
    await step.prepare?.();
  } catch (err) {
    if (err instanceof Error && (err as { userError?: boolean }).userError) throw err;
    throw new PluginError(masker.redact(`Failed to create the ${kind} "${type}": ${(err as Error).message ?? err}`));
  }
}

async function checkSourceConnection(source: Source, type: string, masker: SecretMasker): Promise<void> {
  if (!source.connectionChecks && typeof source.testConnection !== 'function') return;
  assertConnectionChecks(await stepConnectionResults(source, `source ${type}`, masker));
}
