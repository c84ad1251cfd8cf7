/**
 * Read access to the catalog the run writes to. The profiler and test-suite sources use it to
 * work on "the tables this service already has" when the sink is OpenMetadata. A sink plugin
 * (e.g. @om/openmetadata) binds an implementation to TABLE_CATALOG in its register().
 */
import type { InjectionToken } from 'tsyringe';
import type { Column, EntityType, FileFormat } from './model/entities';

export interface CatalogTable {
  id?: string;
  name: string;
  fullyQualifiedName: string;
  /** Schema FQN. */
  databaseSchema?: string;
  columns: Column[];
  fileFormat?: FileFormat;
}

export interface TableCatalog {
  /** Every (non-deleted) table of a database service, streamed page by page. */
  listTables(serviceName: string, signal?: AbortSignal): AsyncIterable<CatalogTable>;
  /** One table by FQN, or undefined when the catalog has none. */
  getTable(fqn: string): Promise<CatalogTable | undefined>;
  /** Whether a (non-deleted) entity exists: `--dry-run` tells planned creates from updates with it. */
  exists?(entityType: EntityType, fqn: string): Promise<boolean>;
  /** Releases connections; called by whoever resolved it, once the run is done. */
  close?(): Promise<void>;
}

export const TABLE_CATALOG: InjectionToken<TableCatalog> = Symbol.for('om.tableCatalog');
