/**
 * A tiny source for tests: yields the hierarchy described by a mutable {@link FakeLake} (service →
 * database → schemas → tables, then `schemaDone` per schema). Not part of the published package.
 */
import {
  definePlugin, left, PLUGIN_API_VERSION, right, StepStatus, stepToken, type Column, type Either, type OmRecord,
  type Source, type StepContext,
} from '@om/core';

export interface FakeLake {
  /** Schema name → table names. */
  schemas: Record<string, string[]>;
  /** Schemas whose listing "fails" part-way (schemaDone complete=false). */
  failListing?: string[];
  /** Tables the source cannot read (yielded as failures). */
  unreadable?: string[];
  /** Columns per table name (default one INT column). */
  columns?: Record<string, Column[]>;
}

export const lake: { current: FakeLake } = { current: { schemas: {} } };

class FakeLakeSource implements Source {
  readonly status = new StepStatus('Source test-lake');
  constructor(private readonly context: StepContext) {}

  async *records(): AsyncIterable<Either<OmRecord>> {
    const service = this.context.workflowConfig.source.serviceName;
    const markDeletedTables = this.context.workflowConfig.source.sourceConfig.config.markDeletedTables === true;
    const l = lake.current;
    yield right({ kind: 'databaseService', entity: { name: service, serviceType: 'Datalake', connection: { config: { type: 'Datalake', configSource: {}, bucketName: 'b' } } } });
    yield right({ kind: 'database', entity: { name: 'default', service } });
    for (const [schema, tables] of Object.entries(l.schemas)) {
      const schemaFqn = `${service}.default.${schema.includes('.') ? `"${schema}"` : schema}`;
      yield right({ kind: 'databaseSchema', entity: { name: schema, database: `${service}.default` } });
      for (const table of tables) {
        if (l.unreadable?.includes(table)) {
          yield left(table, `cannot read ${table}`);
          continue;
        }
        yield right({
          kind: 'table',
          entity: {
            name: table,
            tableType: 'Regular',
            databaseSchema: schemaFqn,
            columns: l.columns?.[table] ?? [{ name: 'id', dataType: 'INT' }],
            fileFormat: 'csv',
            extension: { note: 'kept by file sinks only' },
          },
        });
      }
      yield right({ kind: 'schemaDone', databaseSchema: schemaFqn, complete: !l.failListing?.includes(schema), markDeletedTables });
    }
  }

  async close(): Promise<void> {}
}

export const testSourcePlugin = definePlugin({
  id: 'test-lake',
  apiVersion: PLUGIN_API_VERSION,
  provides: ['source:test-lake'],
  register(container) {
    container.register(stepToken('source', 'test-lake'), { useValue: { create: (ctx: StepContext) => new FakeLakeSource(ctx) } });
  },
});
