/**
 * core's `TableCatalog` over the OpenMetadata REST API: the tables a database service has
 * (`GET /tables?service=…&fields=columns`, paginated) and one table by FQN
 * (`GET /tables/name/{fqn}?fields=columns`). The profiler and test-suite sources read it to work on
 * "the tables this service already has" when the run writes to OpenMetadata.
 *
 * The plugin binds it to `TABLE_CATALOG` with a factory that builds a client from the run's
 * `WORKFLOW_CONFIG` on first use (one client per run, closed by the source's `close`).
 */
import {
  LOGGER, SECRET_MASKER, SecretMasker, TABLE_CATALOG, WORKFLOW_CONFIG, silentLogger,
  type CatalogTable, type Column, type EntityType, type FileFormat, type Logger, type StepContext, type TableCatalog, type WorkflowConfig,
} from '@om/core';

type DependencyContainer = StepContext['container'];
import { createAuthProvider } from './auth';
import { OpenMetadataClient, type EntityBase } from './client';

interface TableEntity extends EntityBase {
  columns?: Column[];
  databaseSchema?: { fullyQualifiedName?: string };
  fileFormat?: FileFormat;
}

function toCatalogTable(t: TableEntity): CatalogTable {
  return {
    id: t.id,
    name: t.name,
    fullyQualifiedName: t.fullyQualifiedName,
    ...(t.databaseSchema?.fullyQualifiedName ? { databaseSchema: t.databaseSchema.fullyQualifiedName } : {}),
    columns: (t.columns ?? []).map((c) => stripServerFields(c as Column & Record<string, unknown>)),
    ...(t.fileFormat ? { fileFormat: t.fileFormat } : {}),
  };
}

/** Columns as create requests have them (the server adds fullyQualifiedName, profile, tags...). */
function stripServerFields(c: Column & Record<string, unknown>): Column {
  const { fullyQualifiedName: _f, profile: _p, customMetrics: _m, ...rest } = c;
  if (Array.isArray(rest.children)) rest.children = (rest.children as (Column & Record<string, unknown>)[]).map((k) => stripServerFields(k));
  return rest as Column;
}

const COLLECTIONS: Record<EntityType, string> = {
  databaseService: 'services/databaseServices',
  database: 'databases',
  databaseSchema: 'databaseSchemas',
  table: 'tables',
};

export class OpenMetadataTableCatalog implements TableCatalog {
  private client: Promise<OpenMetadataClient> | undefined;

  constructor(private readonly connect: () => Promise<OpenMetadataClient>) {}

  private getClient(): Promise<OpenMetadataClient> {
    this.client ??= this.connect();
    return this.client;
  }

  async *listTables(serviceName: string, signal?: AbortSignal): AsyncIterable<CatalogTable> {
    const client = await this.getClient();
    for await (const t of client.listAll<TableEntity>('tables', { service: serviceName, fields: 'columns', include: 'non-deleted' })) {
      if (signal?.aborted) return;
      if (t.deleted) continue;
      yield toCatalogTable(t);
    }
  }

  async getTable(fqn: string): Promise<CatalogTable | undefined> {
    const client = await this.getClient();
    const t = await client.getByName<TableEntity>('tables', fqn, { fields: ['columns'] });
    return t && !t.deleted ? toCatalogTable(t) : undefined;
  }

  async exists(entityType: EntityType, fqn: string): Promise<boolean> {
    const client = await this.getClient();
    const found = await client.getByName<EntityBase>(COLLECTIONS[entityType], fqn);
    return found !== undefined && !found.deleted;
  }

  /** Releases the client's sockets (the datalake source calls it from its own close). */
  async close(): Promise<void> {
    if (!this.client) return;
    const pending = this.client;
    this.client = undefined;
    try {
      (await pending).close();
    } catch {
      // connecting failed: nothing to release
    }
  }
}

/** Builds the catalog of the run from `WORKFLOW_CONFIG` (undefined server config → an error on first use). */
export function catalogFromContainer(container: DependencyContainer): OpenMetadataTableCatalog {
  const config = container.resolve(WORKFLOW_CONFIG) as WorkflowConfig;
  const logger = container.isRegistered(LOGGER, true) ? (container.resolve(LOGGER) as Logger) : silentLogger;
  const masker = container.isRegistered(SECRET_MASKER, true) ? (container.resolve(SECRET_MASKER) as SecretMasker) : new SecretMasker();
  return new OpenMetadataTableCatalog(async () => {
    const serverConfig = config.workflowConfig?.openMetadataServerConfig;
    if (!serverConfig) throw new Error('the table catalog needs workflowConfig.openMetadataServerConfig');
    const auth = await createAuthProvider(serverConfig, { masker, logger, container });
    return OpenMetadataClient.connect({ serverConfig, auth, masker, logger });
  });
}

/** Binds the catalog in a run's container: one instance per registration (per run), built on first resolve. */
export function registerTableCatalog(container: DependencyContainer): void {
  let instance: OpenMetadataTableCatalog | undefined;
  container.register(TABLE_CATALOG, { useFactory: (c: DependencyContainer) => (instance ??= catalogFromContainer(c)) });
}
