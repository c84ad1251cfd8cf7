/**
 * The DynamoDB source: one service, one database, one `default` schema, one table per DynamoDB
 * table, with columns from DescribeTable (keys) and a sample Scan (everything else).
 */
import {
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ScanCommand,
  type AttributeValue,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { classifyAwsError, describeAwsError } from '@om/aws';
import {
  ConnectionCheckFailure,
  DatabaseHierarchy,
  buildFqn,
  inShard,
  left,
  OmError,
  right,
  StepStatus,
  type TableCandidate,
  type CreateTableRequest,
  type Either,
  type ConnectionCheck,
  type Logger,
  type OmRecord,
  type ShardContext,
  type ShardRange,
  type Source,
  type TableConstraint,
} from '@om/core';
import type { DynamoDBSettings } from './config';
import { inferColumns, orderedKeyNames } from './infer';

export const DEFAULT_SCHEMA_NAME = 'default';

const AWS_CONFIG_PATH = 'source.serviceConnection.config.awsConfig';

/** The config field a failed ListTables points at: the credentials, or the region/endpoint. */
function connectionField(err: unknown): string {
  const c = classifyAwsError(err);
  if (c.kind === 'AccessDenied') return c.credentials ? `${AWS_CONFIG_PATH} (credentials)` : `${AWS_CONFIG_PATH} (the identity's IAM permissions)`;
  return `${AWS_CONFIG_PATH}.awsRegion / endPointURL`;
}

/** A failure of the whole source (for example ListTables denied): shown without a stack trace. */
export class DynamoDBSourceError extends OmError {}

export interface DynamoDBSourceOptions {
  logger?: Logger;
  signal?: AbortSignal;
  /** A client to use instead of one built from the config (e.g. one with extra middleware). */
  client?: DynamoDBClient;
  /** The connection as it may be sent to the catalog (core's `StepContext.catalogConnection`). */
  catalogConnection?: Record<string, unknown>;
  /** A shard run (core's `StepContext.shard`): only the tables whose names fall in its ranges. */
  shard?: ShardContext;
}

interface Sample {
  items: Record<string, AttributeValue>[];
  /** Scan requests sent. */
  pages: number;
  /** True when the Scan failed or was denied part-way. */
  partial: boolean;
  denied: boolean;
  /** Why the Scan failed (throttled, timed out, reset...), when it was not a denial. */
  failed?: string;
}

export class DynamoDBSource implements Source {
  readonly status = new StepStatus('Source dynamodb');
  readonly client: DynamoDBClient;
  private readonly logger: Logger | undefined;
  private readonly signal: AbortSignal | undefined;

  constructor(
    readonly settings: DynamoDBSettings,
    options: DynamoDBSourceOptions = {},
  ) {
    this.client = options.client ?? new DynamoDBClient({ ...settings.aws.config });
    this.logger = options.logger;
    this.signal = options.signal;
    this.catalogConnection = options.catalogConnection;
    this.shard = options.shard;
    this.hierarchy = new DatabaseHierarchy({
      serviceName: settings.serviceName,
      status: this.status,
      ...(options.signal ? { signal: options.signal } : {}),
      filters: { database: settings.databaseFilter, schema: settings.schemaFilter, table: settings.tableFilter },
      useFqnForFiltering: settings.useFqnForFiltering,
      includeTables: settings.includeTables,
      markDeletedTables: settings.markDeletedTables,
    });
  }

  private readonly catalogConnection: Record<string, unknown> | undefined;
  private readonly shard: ShardContext | undefined;
  /** Tables listed and not filtered out so far; the total is known after the last ListTables page. */
  private listed = 0;
  private listingDone = false;

  /** Service, database, schema and one record per table kept, once every ListTables page is in. */
  expectedRecords(): number | undefined {
    // A shard's share is not known from the listing count.
    if (this.shard) return undefined;
    return this.listingDone ? 3 + this.listed - this.hierarchy.tablesFiltered : undefined;
  }

  /** OpenMetadata's DynamoDB test-connection step: ListTables, one page of one table. */
  connectionChecks(): ConnectionCheck[] {
    return [
      {
        name: `ListTables (one page, region ${this.settings.region})`,
        run: async () => {
          try {
            const out = await this.client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: this.signal });
            return out.TableNames?.length ? 'reachable' : 'reachable; no table in this region';
          } catch (err) {
            throw new ConnectionCheckFailure(connectionField(err), this.listTablesMessage(err));
          }
        },
      },
    ];
  }

  async testConnection(): Promise<void> {
    try {
      await this.client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: this.signal });
    } catch (err) {
      throw new DynamoDBSourceError(`${connectionField(err)}: ${this.listTablesMessage(err)}`);
    }
  }

  /** The service → database → `default` schema → tables walk (filters, FQNs, schemaDone: core's). */
  readonly hierarchy: DatabaseHierarchy;

  async *records(): AsyncGenerator<Either<OmRecord>> {
    const s = this.settings;
    this.logger?.info(`DynamoDB: ${s.aws.summary}`);
    yield* this.hierarchy.records({
      service: () => ({
        name: s.serviceName,
        serviceType: 'DynamoDB',
        connection: { config: structuredClone(this.catalogConnection ?? s.connection) as unknown as Record<string, unknown> },
      }),
      databases: () => [s.databaseName],
      schemas: () => [DEFAULT_SCHEMA_NAME],
      tables: (schema) => this.tableCandidates(schema.fqn),
      // A failed ListTables ends the source (after the schema's incomplete schemaDone).
      listingFailed: ({ error }) => {
        throw new DynamoDBSourceError(this.listTablesMessage(error));
      },
    });
  }

  /**
   * The work cut into units for a shard plan: one per table name, as name ranges (ListTables returns
   * names in order), so a table created after the plan still falls in exactly one shard.
   */
  async shardUnits(): Promise<ShardRange[]> {
    const base = { database: this.settings.databaseName, schema: DEFAULT_SCHEMA_NAME };
    const names: string[] = [];
    for await (const page of this.tableNamePages()) names.push(...page);
    if (names.length === 0) return [base];
    return names.map((_, i) => ({ ...base, ...(i > 0 ? { from: names[i] } : {}), ...(i + 1 < names.length ? { to: names[i + 1] } : {}) }));
  }

  /** Every ListTables page, one candidate per table name; each table is read when its turn comes. */
  private async *tableCandidates(schemaFqn: string): AsyncGenerator<TableCandidate> {
    const shard = this.shard;
    for await (const names of this.tableNamePages()) {
      for (const name of names) {
        if (shard && !inShard(shard.ranges, DEFAULT_SCHEMA_NAME, name, this.settings.databaseName)) continue;
        yield {
          name,
          produce: async () => {
            const table = await this.table(name, schemaFqn);
            return table ? [table] : [];
          },
        };
      }
    }
  }

  private async *tableNamePages(): AsyncGenerator<string[]> {
    const s = this.settings;
    let startName: string | undefined;
    do {
      const page = await this.client.send(
        new ListTablesCommand({
          ...(startName ? { ExclusiveStartTableName: startName } : {}),
          ...(s.listTablesPageSize ? { Limit: s.listTablesPageSize } : {}),
        }),
        { abortSignal: this.signal },
      );
      const names = page.TableNames ?? [];
      startName = page.LastEvaluatedTableName;
      this.listed += names.length;
      this.listingDone = !startName;
      yield names;
    } while (startName);
  }

  private listTablesMessage(err: unknown): string {
    const region = this.settings.region;
    const text = describeAwsError(err, 'ListTables', `region ${region}`, 'dynamodb:ListTables');
    return `Cannot list the DynamoDB tables: ${text}`;
  }

  /** One table record, a failure, or undefined when the table vanished after being listed. */
  async table(name: string, schemaFqn: string): Promise<Either<OmRecord> | undefined> {
    try {
      return await this.buildTable(name, schemaFqn);
    } catch (err) {
      const c = classifyAwsError(err);
      if (c.kind === 'Other' && !(err as { $metadata?: unknown }).$metadata) {
        // A bug, not an AWS answer: keep the stack for the failure table.
        return left(name, `Unexpected error while reading table ${name}: ${(err as Error).message ?? String(err)}`, (err as Error).stack);
      }
      return left(name, describeAwsError(err, 'Reading table', name));
    }
  }

  private async buildTable(name: string, schemaFqn: string): Promise<Either<OmRecord> | undefined> {
    const s = this.settings;
    const tableFqn = buildFqn(s.serviceName, s.databaseName, DEFAULT_SCHEMA_NAME, name);

    let description: TableDescription | undefined;
    try {
      description = (await this.client.send(new DescribeTableCommand({ TableName: name }), { abortSignal: this.signal })).Table;
    } catch (err) {
      const c = classifyAwsError(err);
      if (c.kind === 'NotFound') {
        this.status.warning(tableFqn, `table ${name} was deleted while the run was listing tables; skipped`);
        return undefined;
      }
      if (c.kind !== 'AccessDenied') return left(name, describeAwsError(err, 'DescribeTable', `table ${name}`));
      this.status.warning(
        tableFqn,
        `${describeAwsError(err, 'DescribeTable', `table ${name}`, 'dynamodb:DescribeTable')}; columns come from the sample only, without key constraints`,
      );
    }

    const sample = await this.sample(name, tableFqn);
    if (sample.failed) {
      // Columns from a cut sample would replace the richer ones the catalog holds: send nothing.
      return left(name, `${sample.failed}; table ${name} is not sent, so the columns OpenMetadata holds for it are kept`);
    }
    if (!description && sample.denied) {
      return left(
        name,
        `Cannot read the columns of table ${name}: both DescribeTable and Scan were denied. Grant dynamodb:DescribeTable (key columns) and dynamodb:Scan (other columns)`,
      );
    }

    const inferred = inferColumns(
      sample.items,
      { keySchema: description?.KeySchema, attributeDefinitions: description?.AttributeDefinitions },
      s.limits,
    );
    if (inferred.droppedColumns.length > 0) {
      const shown = inferred.droppedColumns.slice(0, 10).join(', ');
      const more = inferred.droppedColumns.length > 10 ? `, and ${inferred.droppedColumns.length - 10} more` : '';
      this.status.warning(
        tableFqn,
        `table ${name} has ${inferred.attributeCount} attributes; kept the ${inferred.columns.length} most frequent (maxColumns ${s.limits.maxColumns}) and left out: ${shown}${more}`,
      );
    }
    if (inferred.droppedChildren.length > 0) {
      const shown = inferred.droppedChildren.slice(0, 10).join(', ');
      const more = inferred.droppedChildren.length > 10 ? `, and ${inferred.droppedChildren.length - 10} more` : '';
      this.status.warning(
        tableFqn,
        `table ${name}: nested columns cut by maxSchemaInferenceDepth/maxChildrenPerColumn: ${shown}${more}`,
      );
    }

    // Constraints as the newest OpenMetadata sends them (the server rejects other shapes).
    const keys = orderedKeyNames(description?.KeySchema);
    let tableConstraints: TableConstraint[] | undefined;
    if (keys.length === 1) {
      const keyColumn = inferred.columns.find((c) => c.name === keys[0]);
      if (keyColumn) keyColumn.constraint = 'PRIMARY_KEY';
    } else if (keys.length === 2) {
      tableConstraints = [
        { constraintType: 'PRIMARY_KEY', columns: [keys[0], keys[1]] },
        { constraintType: 'SORT_KEY', columns: [keys[1]] },
      ];
    }

    const entity: CreateTableRequest = {
      name,
      tableType: 'Regular',
      columns: inferred.columns,
      ...(tableConstraints ? { tableConstraints } : {}),
      databaseSchema: schemaFqn,
      sourceUrl: `https://${s.region}.console.aws.amazon.com/dynamodbv2/home?region=${s.region}#table?name=${encodeURIComponent(name)}`,
    };
    if (description) entity.description = describeTable(description);
    entity.extension = tableFacts(description, sample, inferred.attributeCount, inferred.droppedColumns.length);
    return right({ kind: 'table', entity });
  }

  /** Scans up to `sampleSize` items, page by page. Failures end the sample with a warning. */
  private async sample(name: string, tableFqn: string): Promise<Sample> {
    const s = this.settings;
    const sample: Sample = { items: [], pages: 0, partial: false, denied: false };
    let startKey: Record<string, AttributeValue> | undefined;
    while (sample.items.length < s.sampleSize) {
      if (this.signal?.aborted) break;
      const remaining = s.sampleSize - sample.items.length;
      const limit = s.scanPageSize ? Math.min(s.scanPageSize, remaining) : remaining;
      try {
        const page = await this.client.send(
          new ScanCommand({ TableName: name, Limit: limit, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
          { abortSignal: this.signal },
        );
        sample.pages++;
        for (const item of page.Items ?? []) {
          if (sample.items.length >= s.sampleSize) break;
          sample.items.push(item);
        }
        startKey = page.LastEvaluatedKey;
        if (!startKey) break;
      } catch (err) {
        const c = classifyAwsError(err);
        sample.partial = true;
        if (c.kind === 'AccessDenied' && sample.pages === 0) {
          sample.denied = true;
          this.status.warning(
            tableFqn,
            `${describeAwsError(err, 'Scan', `table ${name}`, 'dynamodb:Scan')}; only the key and index columns are ingested`,
          );
        } else if (c.kind === 'AccessDenied') {
          this.status.warning(
            tableFqn,
            `${describeAwsError(err, 'Scan', `table ${name}`, 'dynamodb:Scan')}; columns are inferred from the ${sample.items.length} items read before`,
          );
        } else {
          sample.failed = `${describeAwsError(err, 'Scan', `table ${name}`, 'dynamodb:Scan')} after ${sample.items.length} sampled item(s)`;
        }
        break;
      }
    }
    return sample;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function keyText(keySchema: TableDescription['KeySchema'], definitions: TableDescription['AttributeDefinitions']): string {
  const types = new Map((definitions ?? []).map((d) => [d.AttributeName, d.AttributeType]));
  const [hash, range] = [
    (keySchema ?? []).find((k) => k.KeyType === 'HASH')?.AttributeName,
    (keySchema ?? []).find((k) => k.KeyType === 'RANGE')?.AttributeName,
  ];
  const part = (label: string, n: string | undefined) => (n ? `${label} \`${n}\`${types.get(n) ? ` (${types.get(n)})` : ''}` : '');
  return [part('partition key', hash), part('sort key', range)].filter(Boolean).join(', ');
}

/** A short human description of the table's DynamoDB facts. */
export function describeTable(t: TableDescription): string {
  const lines = [`DynamoDB table; ${keyText(t.KeySchema, t.AttributeDefinitions)}.`];
  const billing = billingMode(t);
  if (billing) lines.push(`Billing mode: ${billing}.`);
  if (t.ItemCount !== undefined || t.TableSizeBytes !== undefined) {
    lines.push(`About ${t.ItemCount ?? 0} items, ${t.TableSizeBytes ?? 0} bytes (DynamoDB refreshes these about every six hours).`);
  }
  const index = (i: { IndexName?: string; KeySchema?: TableDescription['KeySchema']; Projection?: { ProjectionType?: string } }) =>
    `\`${i.IndexName}\` (${keyText(i.KeySchema, t.AttributeDefinitions)}; projection ${i.Projection?.ProjectionType ?? 'unknown'})`;
  if (t.GlobalSecondaryIndexes?.length) lines.push(`Global secondary indexes: ${t.GlobalSecondaryIndexes.map(index).join('; ')}.`);
  if (t.LocalSecondaryIndexes?.length) lines.push(`Local secondary indexes: ${t.LocalSecondaryIndexes.map(index).join('; ')}.`);
  return lines.join('\n');
}

function billingMode(t: TableDescription): string | undefined {
  return t.BillingModeSummary?.BillingMode ?? (t.ProvisionedThroughput ? 'PROVISIONED' : undefined);
}

function keys(schema: TableDescription['KeySchema']): { partitionKey?: string; sortKey?: string } {
  const hash = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return { ...(hash ? { partitionKey: hash } : {}), ...(range ? { sortKey: range } : {}) };
}

/** DynamoDB facts OpenMetadata has no field for, kept under `extension` (file/console sinks show them). */
export function tableFacts(t: TableDescription | undefined, sample: Sample, attributeCount: number, droppedColumns: number): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  if (t) {
    const billing = billingMode(t);
    Object.assign(facts, {
      ...(t.TableArn ? { tableArn: t.TableArn } : {}),
      ...(t.TableStatus ? { tableStatus: t.TableStatus } : {}),
      ...keys(t.KeySchema),
      ...(billing ? { billingMode: billing } : {}),
      ...(billing === 'PROVISIONED' && t.ProvisionedThroughput
        ? { provisionedThroughput: { read: t.ProvisionedThroughput.ReadCapacityUnits, write: t.ProvisionedThroughput.WriteCapacityUnits } }
        : {}),
      ...(t.ItemCount !== undefined ? { itemCount: t.ItemCount } : {}),
      ...(t.TableSizeBytes !== undefined ? { tableSizeBytes: t.TableSizeBytes } : {}),
      ...(t.TableClassSummary?.TableClass ? { tableClass: t.TableClassSummary.TableClass } : {}),
      ...(t.CreationDateTime ? { creationDateTime: new Date(t.CreationDateTime).toISOString() } : {}),
      ...(t.StreamSpecification?.StreamEnabled ? { stream: { viewType: t.StreamSpecification.StreamViewType } } : {}),
      ...(t.DeletionProtectionEnabled !== undefined ? { deletionProtection: t.DeletionProtectionEnabled } : {}),
      globalSecondaryIndexes: (t.GlobalSecondaryIndexes ?? []).map((i) => ({
        name: i.IndexName,
        ...keys(i.KeySchema),
        projection: i.Projection?.ProjectionType,
        ...(i.Projection?.NonKeyAttributes?.length ? { nonKeyAttributes: i.Projection.NonKeyAttributes } : {}),
        ...(i.IndexStatus ? { status: i.IndexStatus } : {}),
      })),
      localSecondaryIndexes: (t.LocalSecondaryIndexes ?? []).map((i) => ({
        name: i.IndexName,
        ...keys(i.KeySchema),
        projection: i.Projection?.ProjectionType,
        ...(i.Projection?.NonKeyAttributes?.length ? { nonKeyAttributes: i.Projection.NonKeyAttributes } : {}),
      })),
    });
  }
  facts.sampledItems = sample.items.length;
  if (sample.partial) facts.sampleIncomplete = true;
  facts.attributeCount = attributeCount;
  if (droppedColumns > 0) facts.droppedColumns = droppedColumns;
  return facts;
}
