/**
 * The DynamoDB source of an AutoClassification workflow (`metadata classify`, `sourceConfig.config.type:
 * AutoClassification`): one `profileRequest` per table kept by the filters, whose rows are the items of
 * one Scan with `Limit` = `sampleDataCount` (pages until that many items; no DescribeTable). The
 * orm-profiler processor (@om/profiler) turns them into sample data and PII tag suggestions.
 */
import { ListTablesCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describeAwsError } from '@om/aws';
import { buildFqn, left, right, StepStatus, type Column, type ConnectionCheck, type Either, type OmRecord, type Source, type TableDataRequest } from '@om/core';
import type { DynamoDBSettings } from './config';
import { inferColumns } from './infer';

export const DEFAULT_CLASSIFY_SAMPLE = 50;

/** A DynamoDB attribute value as a plain value: numbers as numbers (text past 2^53), sets and lists as arrays, maps as objects. */
export function plainValue(v: AttributeValue): unknown {
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) {
    const n = Number(v.N);
    return Number.isSafeInteger(n) || !/^-?\d+$/.test(v.N) ? n : v.N;
  }
  if (v.BOOL !== undefined) return v.BOOL;
  if (v.NULL !== undefined) return null;
  if (v.B !== undefined) return v.B;
  if (v.SS !== undefined) return v.SS;
  if (v.NS !== undefined) return v.NS.map(Number);
  if (v.BS !== undefined) return v.BS;
  if (v.L !== undefined) return v.L.map(plainValue);
  if (v.M !== undefined) return Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, plainValue(x)]));
  return null;
}

export class DynamoDBClassifySource implements Source {
  readonly status = new StepStatus('Source dynamodb');

  constructor(
    private readonly settings: DynamoDBSettings,
    private readonly client: DynamoDBClient,
    private readonly sampleCount: number,
    private readonly signal?: AbortSignal,
    private readonly checks: ConnectionCheck[] = [],
  ) {}

  connectionChecks(): ConnectionCheck[] {
    return this.checks;
  }

  async *records(): AsyncGenerator<Either<OmRecord>> {
    const s = this.settings;
    const databaseFqn = buildFqn(s.serviceName, s.databaseName);
    const schemaFqn = buildFqn(s.serviceName, s.databaseName, 'default');
    if (s.databaseFilter.filtersOut(s.useFqnForFiltering ? databaseFqn : s.databaseName)) {
      this.status.filter(databaseFqn, 'Database Filtered Out');
      return;
    }
    if (s.schemaFilter.filtersOut(s.useFqnForFiltering ? schemaFqn : 'default')) {
      this.status.filter(schemaFqn, 'Schema Filtered Out');
      return;
    }
    let startName: string | undefined;
    do {
      let names: string[];
      try {
        const page = await this.client.send(new ListTablesCommand({ ...(startName ? { ExclusiveStartTableName: startName } : {}) }), { abortSignal: this.signal });
        names = page.TableNames ?? [];
        startName = page.LastEvaluatedTableName;
      } catch (err) {
        yield left(s.serviceName, `Cannot list the DynamoDB tables: ${describeAwsError(err, 'ListTables', `region ${s.region}`, 'dynamodb:ListTables')}`);
        return;
      }
      for (const name of names) {
        if (this.signal?.aborted) return;
        const fqn = buildFqn(s.serviceName, s.databaseName, 'default', name);
        if (s.tableFilter.filtersOut(s.useFqnForFiltering ? fqn : name)) {
          this.status.filter(fqn, 'Table Filtered Out');
          continue;
        }
        yield await this.table(name, fqn);
      }
    } while (startName);
  }

  private async table(name: string, fqn: string): Promise<Either<OmRecord>> {
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    try {
      while (items.length < this.sampleCount) {
        const page = await this.client.send(
          new ScanCommand({ TableName: name, Limit: this.sampleCount - items.length, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
          { abortSignal: this.signal },
        );
        items.push(...(page.Items ?? []).slice(0, this.sampleCount - items.length));
        startKey = page.LastEvaluatedKey;
        if (!startKey) break;
      }
    } catch (err) {
      return left(fqn, describeAwsError(err, 'Scan', `table ${name}`, 'dynamodb:Scan'));
    }
    const columns: Column[] = inferColumns(items, {}, this.settings.limits).columns;
    const rows = items.map((item) => Object.fromEntries(Object.entries(item).map(([k, v]) => [k, plainValue(v)])));
    const table: TableDataRequest = {
      fqn,
      name,
      columns,
      // The items were read once, here; every pass replays them.
      rows: async function* () {
        yield* rows;
      },
    };
    return right({ kind: 'profileRequest', table });
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
