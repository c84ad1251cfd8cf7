/**
 * dbt `catalog.json` (written by `dbt docs generate`): the columns as the warehouse reports them
 * (type, position, comment) and table metadata (owner, comment). Optional: without it the columns
 * come from the manifest.
 */
import { ArtifactError, artifactJson } from './manifest';

export interface CatalogColumn {
  name: string;
  type?: string;
  index?: number;
  comment?: string;
}

export interface CatalogTable {
  columns: CatalogColumn[];
  owner?: string;
  comment?: string;
}

export interface ParsedCatalog {
  /** By unique id (nodes and sources together). */
  tables: Map<string, CatalogTable>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);

export function parseCatalog(input: string | unknown, where: string): ParsedCatalog {
  const doc = artifactJson(input, where, 'catalog.json');
  if (!isObj(doc) || (!isObj(doc.nodes) && !isObj(doc.sources))) {
    throw new ArtifactError(`${where} has no "nodes" or "sources": is it a dbt catalog.json (target/catalog.json after dbt docs generate)?`);
  }
  const tables = new Map<string, CatalogTable>();
  for (const group of [doc.nodes, doc.sources]) {
    if (!isObj(group)) continue;
    for (const [id, raw] of Object.entries(group)) {
      if (!isObj(raw)) continue;
      const meta = isObj(raw.metadata) ? raw.metadata : {};
      const columns = (isObj(raw.columns) ? Object.entries(raw.columns) : []).map(([key, c]): CatalogColumn => {
        const col = isObj(c) ? c : {};
        return {
          name: str(col.name) ?? key,
          ...(str(col.type) ? { type: str(col.type) } : {}),
          ...(typeof col.index === 'number' ? { index: col.index } : {}),
          ...(str(col.comment) ? { comment: str(col.comment) } : {}),
        };
      });
      columns.sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER));
      tables.set(id, {
        columns,
        ...(str(meta.owner) ? { owner: str(meta.owner) } : {}),
        ...(str(meta.comment) ? { comment: str(meta.comment) } : {}),
      });
    }
  }
  return { tables };
}
