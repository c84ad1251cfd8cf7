/** The `orm-profiler` and `orm-test-runner` processors. */
import * as path from 'node:path';
import {
  ConfigError,
  failureFrom,
  left,
  right,
  StepStatus,
  type Column,
  type Either,
  type OmRecord,
  type Processor,
  type StepContext,
  type StepFactory,
} from '@om/core';
import { limitsFrom, type ProfilerProcessorConfig, type TestRunnerProcessorConfig } from './config';
import type { AccumulatorLimits } from './metrics/column';
import { profileTable, resolveMetrics } from './metrics/profile';
import { runTestCases } from './quality/runner';
import { loadLocationShapes, LocationShapesError, type LocationShape } from './quality/geo';
import { classifyTable } from './classify/table';
import { SampleCollector, sampleColumns } from './sample/collector';
import { readSampleHead } from './sample/head';
import type { ColumnTagsRecord, SampleDataRecord } from './sample/records';
import { sampleSettingsFrom, type SampleSettings } from './sample/settings';
import { usesCsvNulls } from './metrics/types';

export type TableProfileRecord = Extract<OmRecord, { kind: 'tableProfile' }> & {
  /** OpenMetadata's `columnNames` table metric: the API has no field for it, so it rides on the record. */
  columnNames: string[];
  /** Column types, for reports (not sent to the server). */
  columnTypes?: Record<string, string>;
};

export interface ProcessorOptions {
  /** Clock for timestamps (tests). */
  now?: () => number;
}

export class ProfilerProcessor implements Processor {
  readonly status = new StepStatus('Processor orm-profiler');
  private readonly limits: AccumulatorLimits;
  private readonly sampling: SampleSettings;

  constructor(
    private readonly config: ProfilerProcessorConfig,
    private readonly context: Pick<StepContext, 'signal' | 'logger'> & Partial<StepContext>,
    private readonly options: ProcessorOptions = {},
  ) {
    this.limits = limitsFrom(config);
    this.sampling = sampleSettingsFrom(context.workflowConfig);
    // Validate metric names now: a typo is a config error, not a failure per table.
    resolveMetrics(config.profiler?.metrics, 'processor.config.profiler.metrics');
    for (const tc of config.tableConfig ?? []) {
      for (const inc of tc.columnConfig?.includeColumns ?? []) {
        if (inc.metrics) resolveMetrics(inc.metrics, `processor.config.tableConfig[${tc.fullyQualifiedName}].columnConfig.includeColumns[${inc.columnName}].metrics`);
      }
      if (tc.profileQuery) context.logger.warn(`tableConfig ${tc.fullyQualifiedName}: profileQuery does not apply to files and is ignored`);
    }
  }

  async process(record: OmRecord): Promise<Either<OmRecord>[]> {
    if (record.kind !== 'profileRequest') return [right(record)];
    const table = record.table;
    const tableConfig = (this.config.tableConfig ?? []).find((t) => t.fullyQualifiedName === table.fqn);
    const wantSample = (this.sampling.store || this.sampling.classify) && this.sampling.count > 0;
    const sample = wantSample
      ? new SampleCollector(sampleColumns(table.columns, tableConfig?.columnConfig), {
          count: this.sampling.count,
          csvNulls: usesCsvNulls(table.fileFormat),
          ...(this.config.sampleDataMaxCellLength ? { maxCellLength: this.config.sampleDataMaxCellLength } : {}),
        })
      : undefined;
    try {
      if (this.sampling.pipeline === 'AutoClassification') {
        // Classification profiles nothing: the head of the table is all it reads.
        if (sample) await readSampleHead(table, sample, this.context.signal);
        return this.sampleRecords(table, sample).map((r) => right(r));
      }
      const result = await profileTable(table, {
        metrics: this.config.profiler?.metrics,
        tableConfig,
        limits: this.limits,
        ...(sample ? { sample } : {}),
        timestamp: (this.options.now ?? Date.now)(),
        signal: this.context.signal,
        warn: (message) => this.status.warning(table.fqn, message),
        ...(this.config.scanThreads !== undefined ? { threads: this.config.scanThreads } : {}),
      });
      const out: TableProfileRecord = {
        kind: 'tableProfile',
        tableFqn: table.fqn,
        profile: result.profile,
        approximateMetrics: result.approximateMetrics,
        columnNames: result.columnNames,
        columnTypes: Object.fromEntries(table.columns.map((c) => [c.name, c.dataType])),
      };
      return [right(out), ...this.sampleRecords(table, sample).map((r) => right(r))];
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      const f = failureFrom(table.fqn, err, 'cannot profile the table');
      return [left(f.name, f.error, f.stackTrace)];
    }
  }

  /** The sample rows (when stored) and the PII tag suggestions (when classifying) of one table. */
  private sampleRecords(table: { fqn: string; columns: Column[] }, sample: SampleCollector | undefined): OmRecord[] {
    // sampleDataCount 0: no rows, names alone for the classification.
    const data = sample?.result();
    const out: OmRecord[] = [];
    if (this.sampling.store && data) {
      const r: SampleDataRecord = { kind: 'x-sampleData', name: table.fqn, tableFqn: table.fqn, sampleData: data };
      out.push(r);
    }
    if (this.sampling.classify) {
      const columns = classifyTable(table.columns, data, this.sampling.confidence);
      // Nothing to suggest: no record (sinks would have nothing to do).
      if (columns.length > 0) {
        const r: ColumnTagsRecord = { kind: 'x-columnTags', name: table.fqn, tableFqn: table.fqn, columns };
        out.push(r);
      }
    }
    return out;
  }

  async close(): Promise<void> {}
}

export class TestRunnerProcessor implements Processor {
  readonly status = new StepStatus('Processor orm-test-runner');
  private readonly limits: AccumulatorLimits;
  private readonly locationShapes: LocationShape[] | undefined;

  constructor(
    private readonly config: TestRunnerProcessorConfig,
    private readonly context: Pick<StepContext, 'signal'> & Partial<StepContext>,
    private readonly options: ProcessorOptions = {},
  ) {
    this.limits = limitsFrom(config);
    if (config.locationReferenceFile) {
      const file = path.resolve(context.configDir ?? process.cwd(), config.locationReferenceFile);
      try {
        this.locationShapes = loadLocationShapes(file);
      } catch (err) {
        if (!(err instanceof LocationShapesError)) throw err;
        throw ConfigError.single('processor.config.locationReferenceFile', err.message, 'a GeoJSON FeatureCollection of Polygon/MultiPolygon features with libgeo (city) and codgeo (postal code) properties');
      }
    }
    const seen = new Set<string>();
    for (const tc of config.testCases ?? []) {
      if (seen.has(tc.name)) throw ConfigError.single('processor.config.testCases', `duplicate test case name ${tc.name}`);
      seen.add(tc.name);
    }
  }

  async process(record: OmRecord): Promise<Either<OmRecord>[]> {
    if (record.kind !== 'testSuiteRequest') return [right(record)];
    const table = record.table;
    try {
      const results = await runTestCases(table, this.config.testCases ?? [], {
        limits: this.limits,
        now: (this.options.now ?? Date.now)(),
        signal: this.context.signal,
        ...(this.locationShapes ? { locationShapes: this.locationShapes } : {}),
      });
      for (const r of results) {
        if (r.result.testCaseStatus === 'Aborted') this.status.warning(`${table.fqn} ${r.testCase.name}`, r.result.result ?? 'aborted');
      }
      return [right({ kind: 'testCaseResults', tableFqn: table.fqn, results })];
    } catch (err) {
      const f = failureFrom(table.fqn, err, 'cannot run the test cases');
      return [left(f.name, f.error, f.stackTrace)];
    }
  }

  async close(): Promise<void> {}
}

export const profilerProcessorFactory: StepFactory<ProfilerProcessor> = {
  create: (context) => new ProfilerProcessor((context.stepConfig.config ?? {}) as ProfilerProcessorConfig, context),
};

export const testRunnerProcessorFactory: StepFactory<TestRunnerProcessor> = {
  create: (context) => new TestRunnerProcessor((context.stepConfig.config ?? { testCases: [] }) as unknown as TestRunnerProcessorConfig, context),
};
