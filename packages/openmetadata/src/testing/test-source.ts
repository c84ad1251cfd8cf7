/**
 * A tiny source for tests: yields the hierarchy described by a mutable {@link FakeLake} (service →
 * database → schemas → tables, then `schemaDone` per schema). Not part of the published package.
 */
import {
  DatabaseHierarchy, definePlugin, left, PLUGIN_API_VERSION, right, StepStatus, stepToken, type Column, type Either,
  type OmRecord, type Source, type StepContext,
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
  private readonly hierarchy: DatabaseHierarchy;

  constructor(private readonly context: StepContext) {
    this.hierarchy = new DatabaseHierarchy({
      serviceName: context.workflowConfig.source.serviceName,
      status: this.status,
      signal: context.signal,
      markDeletedTables: context.workflowConfig.source.sourceConfig.config.markDeletedTables === true,
    });
  }

  records(): AsyncIterable<Either<OmRecord>> {
    const l = lake.current;
    const service = this.context.workflowConfig.source.serviceName;
    return this.hierarchy.records({
      service: () => ({ name: service, serviceType: 'Datalake', connection: { config: { type: 'Datalake', configSource: {}, bucketName: 'b' } } }),
      databases: () => ['default'],
      schemas: () => Object.keys(l.schemas),
      async *tables(schema) {
        for (const table of l.schemas[schema.name]) {
          yield {
            name: table,
            produce: async () => [
              l.unreadable?.includes(table)
                ? left<OmRecord>(table, `cannot read ${table}`)
                : right<OmRecord>({
                    kind: 'table',
                    entity: {
                      name: table,
                      tableType: 'Regular',
                      databaseSchema: schema.fqn,
                      columns: l.columns?.[table] ?? [{ name: 'id', dataType: 'INT' }],
                      fileFormat: 'csv',
                      extension: { note: 'kept by file sinks only' },
                    },
                  }),
            ],
          };
        }
        if (l.failListing?.includes(schema.name)) throw new Error(`listing of ${schema.name} failed part-way`);
      },
      // A failed listing only leaves the schema incomplete (nothing marked deleted); no failure counted.
      listingFailed: () => undefined,
    });
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
