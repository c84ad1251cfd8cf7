import {
  CompiledFilter,
  DatabaseHierarchy,
  right,
  StepStatus,
  type Either,
  type OmRecord,
  type Source,
  type StepContext,
} from '@om/core';
import { parseSampleConfig, type SampleConfig } from './config';

/**
 * Emits a fixed service → database → schema → tables hierarchy. The source only says what exists
 * at each level; core's DatabaseHierarchy builds the FQNs, applies the filters (counted with
 * OpenMetadata's reasons) and ends each schema with `schemaDone`.
 */
export class SampleSource implements Source {
  readonly status = new StepStatus('Source sample');
  private readonly config: SampleConfig;
  private readonly hierarchy: DatabaseHierarchy;

  constructor(context: StepContext) {
    this.config = parseSampleConfig(context.stepConfig);
    this.hierarchy = new DatabaseHierarchy({
      serviceName: this.config.serviceName,
      status: this.status,
      signal: context.signal,
      filters: { table: new CompiledFilter(this.config.tableFilterPattern, 'source.sourceConfig.config.tableFilterPattern') },
      // The tables are made up: nothing on the server may be marked deleted because of them.
      markDeletedTables: false,
    });
  }

  records(): AsyncIterable<Either<OmRecord>> {
    return this.hierarchy.records({
      service: () => ({ name: this.config.serviceName, serviceType: 'CustomDatabase' }),
      databases: () => [this.config.databaseName],
      schemas: () => ['public'],
      tables: (schema) =>
        this.config.tables.map((name) => ({
          name,
          produce: async () => [
            right<OmRecord>({
              kind: 'table',
              entity: {
                name,
                tableType: 'Regular',
                databaseSchema: schema.fqn,
                columns: [
                  { name: 'id', dataType: 'BIGINT', constraint: 'PRIMARY_KEY' },
                  { name: 'name', dataType: 'VARCHAR', dataLength: 255 },
                  { name: 'created_at', dataType: 'TIMESTAMP' },
                ],
              },
            }),
          ],
        })),
    });
  }

  async close(): Promise<void> {}
}
