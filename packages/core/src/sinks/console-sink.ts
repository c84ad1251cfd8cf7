import { right, type Either } from '../either';
import type { JsonSchema } from '../plugin/descriptor';
import type { Column, CreateTableProfileRequest, CreateTestCaseRequest, TestCaseResult } from '../model/entities';
import type { OmRecord } from '../model/records';
import { renderTable } from '../workflow/summary';
import { StepStatus } from '../status';
import type { Sink, SinkResult, StepContext, StepFactory } from '../steps';

export const consoleSinkSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    stream: { type: 'string', enum: ['stdout', 'stderr'], description: 'where the tree is printed (stdout)' },
    columns: { type: 'boolean', description: 'print columns under each table (true)' },
  },
};

export interface ConsoleSinkConfig {
  stream?: 'stdout' | 'stderr';
  columns?: boolean;
}

/** Prints a readable tree: service → database → schema → table → columns. */
export class ConsoleSink implements Sink {
  readonly status = new StepStatus('Sink console');
  private readonly out: NodeJS.WritableStream;

  constructor(
    private readonly config: ConsoleSinkConfig,
    private readonly context: StepContext,
  ) {
    this.out = config.stream === 'stderr' ? process.stderr : config.stream === 'stdout' ? process.stdout : context.stdout;
    this.status.redact = (t) => context.masker.redact(t);
  }

  private print(line: string): void {
    this.out.write(`${this.context.masker.redact(line)}\n`);
  }

  async write(record: OmRecord): Promise<Either<SinkResult>> {
    switch (record.kind) {
      case 'databaseService':
        this.print(`service ${record.entity.name} (${record.entity.serviceType})`);
        break;
      case 'database':
        this.print(`  database ${record.entity.name}`);
        break;
      case 'databaseSchema':
        this.print(`    schema ${record.entity.name}`);
        break;
      case 'table': {
        const t = record.entity;
        const facts = [t.fileFormat, t.tableType, `${t.columns.length} column${t.columns.length === 1 ? '' : 's'}`].filter(Boolean);
        this.print(`      table ${t.name}  (${facts.join(', ')})`);
        if (this.config.columns !== false) for (const line of columnLines(t.columns, 8)) this.print(line);
        for (const c of t.tableConstraints ?? []) this.print(`        constraint ${c.constraintType}(${c.columns.join(', ')})`);
        break;
      }
      case 'delete':
        this.print(`  delete ${record.entityType} ${record.fqn}`);
        break;
      case 'schemaDone':
        break;
      case 'tableUnchanged':
        this.print(`      table ${record.fqn.slice(record.databaseSchema.length + 1)}  (unchanged since the last run)`);
        break;
      case 'tableProfile':
        this.print(renderTableProfile(record.tableFqn, record.profile, record.approximateMetrics));
        break;
      case 'testCaseResults':
        this.print(renderTestResults(record.tableFqn, record.results));
        break;
      case 'profileRequest':
      case 'testSuiteRequest':
        this.print(`  ${record.kind} ${record.table.fqn} (no processor consumed it)`);
        break;
      default:
        this.print(`  ${record.kind} ${JSON.stringify(this.context.masker.redactObject(record))}`);
    }
    return right({});
  }

  async close(): Promise<void> {}
}

export function columnLines(columns: Column[], indent: number): string[] {
  const lines: string[] = [];
  const width = Math.min(40, Math.max(...columns.map((c) => c.name.length), 4));
  for (const c of columns) {
    let type = c.dataTypeDisplay && c.dataTypeDisplay !== c.dataType ? `${c.dataType} (${c.dataTypeDisplay})` : c.dataType;
    if (c.dataType === 'ARRAY' && c.arrayDataType && !c.dataTypeDisplay) type = `ARRAY<${c.arrayDataType}>`;
    const extra = c.constraint ? `  ${c.constraint}` : '';
    lines.push(`${' '.repeat(indent)}${c.name.padEnd(width)}  ${type}${extra}`);
    if (c.children?.length) lines.push(...columnLines(c.children, indent + 2));
  }
  return lines;
}

export const consoleSinkFactory: StepFactory<ConsoleSink> = {
  create: (context) => new ConsoleSink((context.stepConfig.config ?? {}) as ConsoleSinkConfig, context),
};

function fmt(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(6).replace(/\.?0+$/, '');
  return String(value);
}

/** A readable table of one table's profile. */
export function renderTableProfile(fqn: string, profile: CreateTableProfileRequest, approximate: string[] = []): string {
  const t = profile.tableProfile;
  const head = `profile ${fqn}: ${fmt(t.rowCount)} rows, ${fmt(t.columnCount)} columns${t.sizeInByte !== undefined ? `, ${fmt(t.sizeInByte)} bytes` : ''}` +
    (t.profileSample !== undefined ? `, sample ${fmt(t.profileSample)}${t.profileSampleType === 'ROWS' ? ' rows' : '%'}` : '') +
    (approximate.length ? ` (approximate: ${approximate.join(', ')})` : '');
  const rows = (profile.columnProfile ?? []).map((c) => [
    c.name,
    fmt(c.valuesCount),
    c.nullProportion !== undefined ? `${(c.nullProportion * 100).toFixed(1)}%` : '',
    fmt(c.distinctCount),
    fmt(c.uniqueCount),
    fmt(c.min),
    fmt(c.max),
    fmt(c.mean),
    fmt(c.stddev),
    fmt(c.median),
  ]);
  return `${head}\n${renderTable(['Column', 'Values', 'Null %', 'Distinct', 'Unique', 'Min', 'Max', 'Mean', 'Stddev', 'Median'], rows, 40)}`;
}

/** A readable table of a table's test case results. */
export function renderTestResults(fqn: string, results: { testCase: CreateTestCaseRequest; result?: TestCaseResult }[]): string {
  const rows = results.map(({ testCase, result }) => [
    testCase.name,
    testCase.testDefinition,
    result?.testCaseStatus ?? 'not run',
    result?.result ?? '',
  ]);
  const passed = results.filter((r) => r.result?.testCaseStatus === 'Success').length;
  return `tests ${fqn}: ${passed}/${results.length} passed\n${renderTable(['Test case', 'Definition', 'Status', 'Result'], rows, 80)}`;
}
