import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { DependencyContainer } from 'tsyringe';
import type { WorkflowConfig } from '../config/types';
import { runConnectionChecks, type ConnectionCheckResult } from '../connection';
import { failureFrom, type Either, type StepFailure } from '../either';
import { ConfigError, WorkflowExecutionError } from '../errors';
import { tableFqnOf } from '../fqn';
import type { IncrementalState } from '../incremental/state';
import { runFilesFor } from '../run-files';
import type { Logger } from '../logger';
import { recordName, type OmRecord } from '../model/records';
import type { SecretMasker } from '../secrets';
import { StepStatus } from '../status';
import type { Processor, Sink, SinkResult, Source, Step, StepKind } from '../steps';
import type { ProgressSnapshot, WorkflowOptions } from './options';
import { planSink, prepareRun } from './run-setup';
import { checkSourceConnection, prepareStep, stepConnectionResults } from './step-checks';
import { stopRace } from './stop-race';
import { renderSummary, type PipelineState, type WorkflowSummary } from './summary';

export type { ProgressSnapshot, WorkflowOptions } from './options';

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
    /** Set for an incremental run (`options.state`). */
    readonly incremental?: IncrementalState,
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
      if (run.incremental && source.incremental !== true) {
        throw ConfigError.single(
          '--state',
          `source "${String(sourceSection.type)}" cannot run incrementally${source.incremental === false ? ' in this mode' : ''}`,
          'run it without --state (incremental runs are for Datalake metadata ingestion)',
          options.file,
        );
      }
      // A state location the source cannot serve is a usage error, found before anything connects.
      const stateFiles = run.incremental ? runFilesFor(run.incremental.file, source, '--state') : undefined;
      await prepareStep(source, 'source', String(sourceSection.type), masker);
      if (options.testConnection !== false) {
        // Before the sink connects: nothing may be written (not even a service) when the source
        // cannot be read.
        await checkSourceConnection(source, String(sourceSection.type), masker);
        logger.debug(`Connection test of source ${String(sourceSection.type)} passed`);
      }
      if (stateFiles) await run.incremental?.load(stateFiles);
      const processor = validated.config.processor
        ? await run.build<Processor>('processor', validated.config.processor as unknown as Record<string, unknown>)
        : undefined;
      if (processor) built.push(processor);
      const sinkSection = validated.config.sink as unknown as Record<string, unknown>;
      const sink = options.dryRun ? planSink(run, sinkSection) : await run.build<Sink>('sink', sinkSection);
      built.push(sink);
      if (processor) await prepareStep(processor, 'processor', String((validated.config.processor as { type?: unknown }).type), masker);
      await prepareStep(sink, 'sink', String(sinkSection.type), masker);
      return new Workflow(validated.config, logger, masker, runContainer, source, processor, sink, options, abort, run.incremental);
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
    const race = stopRace(this.abort.signal);
    try {
      for (;;) {
        const pending = records.next();
        pending.catch(() => undefined);
        const next = await race.next(pending);
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
      race.dispose();
      await this.saveIncrementalState();
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
    const written = this.incrementalWritten(record);
    try {
      const result = await this.sink.write(record);
      if (record.kind === 'schemaDone') return;
      if (result.ok && result.value.pending) {
        const settled: Promise<void> = result.value.pending
          .then(
            (late) => {
              this.countSinkResult(late);
              if (late.ok) written?.();
            },
            (err) => this.stepFailed(this.sink, failureFrom(recordName(record), err)),
          )
          .finally(() => this.pendingWrites.delete(settled));
        this.pendingWrites.add(settled);
        return;
      }
      this.countSinkResult(result);
      if (result.ok) written?.();
    } catch (err) {
      this.stepFailed(this.sink, failureFrom(recordName(record), err));
    }
  }

  /**
   * In an incremental run, tells the state a table record went by; returns what to do once the sink
   * wrote it (the table's fingerprint then stands for what the catalog holds).
   */
  private incrementalWritten(record: OmRecord): (() => void) | undefined {
    const state = this.incremental;
    if (!state) return undefined;
    if (record.kind === 'schemaDone') {
      state.schemaDone(record.databaseSchema, record.complete);
      return undefined;
    }
    if (record.kind === 'tableUnchanged') {
      state.seen(record.fqn, true);
      return () => state.commit(record.fqn, record.databaseSchema, record.fingerprint);
    }
    if (record.kind !== 'table') return undefined;
    const schema = record.entity.databaseSchema;
    const fqn = tableFqnOf(record.entity);
    state.seen(fqn, false);
    const fingerprint = record.fingerprint;
    return fingerprint ? () => state.commit(fqn, schema, fingerprint) : undefined;
  }

  /** Writes the incremental state after a run (not a dry run: nothing was written then). */
  private async saveIncrementalState(): Promise<void> {
    const state = this.incremental;
    if (!state || this.options.dryRun) return;
    try {
      const file = await state.save();
      this.logger.info(`Incremental state: ${state.counts.read} table(s) new or changed (read), ${state.counts.unchanged} unchanged (not read); written to ${file}`);
    } catch (err) {
      this.source.status.failed({ name: state.file, error: `cannot write the incremental state: ${(err as Error).message}; the next run reads every table` });
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
