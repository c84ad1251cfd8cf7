/** The records that flow from a source through processors to a sink. */
import type {
  CreateClassificationRequest,
  CreateDatabaseRequest,
  CreateDatabaseSchemaRequest,
  CreateDatabaseServiceRequest,
  CreateTableProfileRequest,
  CreateTableRequest,
  CreateTagRequest,
  CreateTestCaseRequest,
  CreateTestDefinitionRequest,
  DataModel,
  EntityType,
  JsonPatchOperation,
  LineageEdge,
  TestCaseResult,
} from './entities';
import type { TableDataRequest } from './table-data';

/** What an incremental state keeps of a table: where its listing starts and a digest of its objects. */
export interface TableFingerprint {
  /** The first key of the table (its file, or its folder with a trailing `/`): places it in a shard range. */
  key: string;
  fingerprint: string;
}

/** One record flowing from a source through processors to a sink. */
export type OmRecord =
  | { kind: 'databaseService'; entity: CreateDatabaseServiceRequest }
  | { kind: 'database'; entity: CreateDatabaseRequest }
  | { kind: 'databaseSchema'; entity: CreateDatabaseSchemaRequest }
  /** `fingerprint`: set by sources that support incremental runs (see core's incremental/state.ts). */
  | { kind: 'table'; entity: CreateTableRequest; fingerprint?: TableFingerprint }
  /**
   * A table whose objects have not changed since it was last written (incremental runs): nothing to
   * send, but it exists, so mark-deleted keeps it.
   */
  | { kind: 'tableUnchanged'; databaseSchema: string; fqn: string; fingerprint: TableFingerprint }
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
  /**
   * Test cases of one table with their results (sinks: get-or-create suite and cases, then post
   * results). A case without a result (a dbt test not run yet) is only created.
   */
  | { kind: 'testCaseResults'; tableFqn: string; results: { testCase: CreateTestCaseRequest; result?: TestCaseResult }[] }
  /** A tag classification to create if absent (`PUT /classifications`). */
  | { kind: 'classification'; entity: CreateClassificationRequest }
  /** A tag to create if absent (`PUT /tags`). */
  | { kind: 'tag'; entity: CreateTagRequest }
  /** The data model (dbt) behind an existing table (`PUT /tables/{id}/dataModel`). */
  | { kind: 'dataModel'; tableFqn: string; tableId: string; dataModel: DataModel }
  /** Changes to an existing table as JSON Patch operations (descriptions, tags, owners). */
  | { kind: 'tablePatch'; tableFqn: string; tableId: string; operations: JsonPatchOperation[] }
  /** A lineage edge between two existing entities (`PUT /lineage`); the FQNs name it. */
  | { kind: 'lineage'; fromFqn: string; toFqn: string; edge: LineageEdge }
  /** A test definition to create or update (`PUT /dataQuality/testDefinitions`). */
  | { kind: 'testDefinition'; entity: CreateTestDefinitionRequest }
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
    case 'tableUnchanged':
      return record.fqn;
    case 'schemaDone':
      return record.databaseSchema;
    case 'profileRequest':
    case 'testSuiteRequest':
      return record.table.fqn;
    case 'tableProfile':
    case 'testCaseResults':
    case 'dataModel':
    case 'tablePatch':
      return record.tableFqn;
    case 'classification':
    case 'testDefinition':
      return record.entity.name;
    case 'tag':
      return `${record.entity.classification}.${record.entity.name}`;
    case 'lineage':
      return `${record.fromFqn} → ${record.toFqn}`;
    default:
      return typeof (record as { name?: unknown }).name === 'string'
        ? String((record as { name?: unknown }).name)
        : record.kind;
  }
}
