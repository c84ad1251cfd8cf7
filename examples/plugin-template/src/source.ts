import {
  buildFqn,
  CompiledFilter,
  right,
  StepStatus,
  type Either,
  type OmRecord,
  type Source,
  type StepContext,
} from '@om/core';
import { parseSampleConfig, type SampleConfig } from './config';

/** Emits a fixed service → database → schema → tables hierarchy. */
export class SampleSource implements Source {
  readonly status = new StepStatus('Source sample');
  private readonly config: SampleConfig;
  private readonly tableFilter: CompiledFilter;

  constructor(context: StepContext) {
    this.config = parseSampleConfig(context.stepConfig);
    this.tableFilter = new CompiledFilter(this.config.tableFilterPattern, 'source.sourceConfig.config.tableFilterPattern');
  }

  async *records(): AsyncIterable<Either<OmRecord>> {
    const { serviceName, databaseName } = this.config;
    yield right({ kind: 'databaseService', entity: { name: serviceName, serviceType: 'CustomDatabase' } });
    yield right({ kind: 'database', entity: { name: databaseName, service: serviceName } });
    const databaseFqn = buildFqn(serviceName, databaseName);
    yield right({ kind: 'databaseSchema', entity: { name: 'public', database: databaseFqn } });
    const schemaFqn = buildFqn(serviceName, databaseName, 'public');
    for (const table of this.config.tables) {
      if (this.tableFilter.filtersOut(table)) {
        this.status.filter(table, 'Table Filtered Out');
        continue;
      }
      yield right({
        kind: 'table',
        entity: {
          name: table,
          tableType: 'Regular',
          databaseSchema: schemaFqn,
          columns: [
            { name: 'id', dataType: 'BIGINT', constraint: 'PRIMARY_KEY' },
            { name: 'name', dataType: 'VARCHAR', dataLength: 255 },
            { name: 'created_at', dataType: 'TIMESTAMP' },
          ],
        },
      });
    }
    yield right({ kind: 'schemaDone', databaseSchema: schemaFqn, complete: true, markDeletedTables: false });
  }

  async close(): Promise<void> {}
}
