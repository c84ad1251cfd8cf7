/** The records that flow from a source through processors to a sink. */
import type {
  CreateDatabaseRequest,
  CreateDatabaseSchemaRequest,
  CreateDatabaseServiceRequest,
  CreateTableProfileRequest,
  CreateTableRequest,
  CreateTestCaseRequest,
  EntityType,
  TestCaseResult,
} from './entities';
import type { TableDataRequest } from './table-data';

/** One record flowing from a source through processors to a sink. */
export type OmRecord =
  | { kind: 'databaseService'; entity: CreateDatabaseServiceRequest }
  | { kind: 'database'; entity: CreateDatabaseRequest }
  | { kind: 'databaseSchema'; entity: CreateDatabaseSchemaRequest }
  | { kind: 'table'; entity: CreateTableRequest }
  /** Soft (or hard) delete of one entity by FQN. */
  | { kind: 'delete'; entityType: EntityType; fqn: string; hardDelete?: boolean; recursive?: boolean }
  /**
   * End of one schema's tables. `complete` is false when listing failed part-way, in which case
   * nothing may be marked deleted for it. Sinks that keep state (mark-deleted) act on it.
   */
  | { kind: 'schemaDone'; databaseSchema: string; complete: boolean; markDeletedTables: boolean }
  /** A table whose data a processor (orm-profiler) should profile. */
  | { kind: 'profileRequest'; table: TableDataRequest }
  /** The profile of one table (sinks: `PUT /tables/{id}/tableProfile`). */
  | {
      kind: 'tableProfile';
      tableFqn: string;
      profile: CreateTableProfileRequest;
      /** `column.metric` entries computed from sketches (see @om/profiler's error bounds). */
      approximateMetrics?: string[];
      /** Facts the API's TableProfile has no field for. */
      columnNames?: string[];
      columnTypes?: Record<string, string>;
    }
  /** A table to run data-quality test cases on (orm-test-runner). */
  | { kind: 'testSuiteRequest'; table: TableDataRequest }
  /** Test case results for one table (sinks: get-or-create suite and cases, then post results). */
  | { kind: 'testCaseResults'; tableFqn: string; results: { testCase: CreateTestCaseRequest; result: TestCaseResult }[] }
  /** Records contributed by other packages (lineage, dbt data models...). */
  | { kind: `x-${string}`; [key: string]: unknown };

export type RecordKind = OmRecord['kind'];

/** A short, human name for a record, used in status lines and failure tables. */
export function recordName(record: OmRecord): string {
  switch (record.kind) {
    case 'databaseService':
    case 'database':
    case 'databaseSchema':
      return record.entity.name;
    case 'table':
      return `${record.entity.databaseSchema}.${record.entity.name}`;
    case 'delete':
      return record.fqn;
    case 'schemaDone':
      return record.databaseSchema;
    case 'profileRequest':
    case 'testSuiteRequest':
      return record.table.fqn;
    case 'tableProfile':
    case 'testCaseResults':
      return record.tableFqn;
    default:
      return typeof (record as { name?: unknown }).name === 'string'
        ? String((record as { name?: unknown }).name)
        : record.kind;
  }
}
