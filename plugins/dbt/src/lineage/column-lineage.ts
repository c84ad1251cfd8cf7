/**
 * Column-level lineage from a model's compiled SQL: for each column the final SELECT outputs, the
 * columns of the upstream relations its expression reads, through CTEs, subqueries, joins, aliases,
 * `*` and unions. Parsed with node-sql-parser in the dialect of the dbt adapter; a `*` over a
 * relation is expanded with the columns the catalog (or manifest) knows for it.
 *
 * What counts as "reads": every column reference in the select expression (CASE conditions
 * included), as OpenMetadata's SQL lineage does; filters, joins and GROUP BY do not make lineage.
 */
import { Parser } from 'node-sql-parser';

/** A column of an upstream relation, the relation normalised as `db.schema.table` (lower case, unquoted). */
export interface SourceColumn {
  relation: string;
  column: string;
}

export type ColumnLineage = Map<string, SourceColumn[]>;

/** node-sql-parser's name for the SQL of each dbt adapter (`manifest.metadata.adapter_type`). */
const DIALECTS: Record<string, string> = {
  postgres: 'postgresql', redshift: 'redshift', duckdb: 'postgresql', snowflake: 'snowflake', bigquery: 'bigquery',
  spark: 'hive', databricks: 'hive', trino: 'trino', athena: 'athena', mysql: 'mysql', sqlserver: 'transactsql',
  sqlite: 'sqlite', db2: 'db2', mariadb: 'mariadb',
};

type Node = Record<string, any>;

/** What a FROM item offers: a base relation (columns from the resolver) or a derived table's columns. */
type FromItem = { kind: 'relation'; relation: string } | { kind: 'derived'; columns: ColumnLineage };

export class ColumnLineageParser {
  private readonly parser = new Parser();

  constructor(
    /** The columns a relation has (catalog, else manifest), to expand `*` and place unqualified names. */
    private readonly columnsOf: (relation: string) => string[] | undefined,
  ) {}

  /** Output column → upstream columns; throws when the SQL does not parse in the adapter's dialect. */
  lineage(sql: string, adapter = 'postgres'): ColumnLineage {
    const parsed = this.parse(sql, DIALECTS[adapter.toLowerCase()] ?? 'postgresql');
    const statements = Array.isArray(parsed) ? parsed : [parsed];
    const select = [...statements].reverse().find((s) => s && s.type === 'select');
    if (!select) throw new Error('the compiled SQL has no SELECT statement');
    return this.select(select, new Map());
  }

  /**
   * The statement in the adapter's dialect; failing that, in the closest broader ones (node-sql-parser's
   * Hive grammar has no three-part names, which Databricks' Unity Catalog writes as `a`.`b`.`c`).
   */
  private parse(sql: string, dialect: string): Node | Node[] {
    let first: unknown;
    for (const database of [...new Set([dialect, 'postgresql', 'bigquery'])]) {
      try {
        return this.parser.astify(sql, { database }) as Node | Node[];
      } catch (err) {
        first ??= err;
      }
    }
    throw first;
  }

  private select(stmt: Node, outer: Map<string, ColumnLineage>): ColumnLineage {
    const ctes = new Map(outer);
    for (const cte of (stmt.with as Node[] | null) ?? []) {
      const name = String(cte.name?.value ?? cte.name).toLowerCase();
      ctes.set(name, this.select(cte.stmt?.ast ?? cte.stmt, ctes));
    }
    const scope = new Map<string, FromItem>();
    const order: FromItem[] = [];
    for (const from of (stmt.from as Node[] | null) ?? []) {
      let item: FromItem | undefined;
      let alias: string | undefined = typeof from.as === 'string' ? from.as : from.as?.value;
      if (from.expr?.ast) item = { kind: 'derived', columns: this.select(from.expr.ast, ctes) };
      else if (typeof from.table === 'string') {
        const local = !from.db && !from.schema ? ctes.get(from.table.toLowerCase()) : undefined;
        item = local ? { kind: 'derived', columns: local } : { kind: 'relation', relation: relationName(from) };
        alias ??= from.table;
      }
      if (!item) continue;
      order.push(item);
      if (alias) scope.set(alias.toLowerCase(), item);
      if (item.kind === 'relation') scope.set(item.relation, item);
    }

    const out: ColumnLineage = new Map();
    for (const col of columnsOf(stmt)) {
      const expr = col.expr as Node;
      if (expr?.type === 'column_ref' && columnName(expr) === '*') {
        const items = expr.table ? [scope.get(String(expr.table).toLowerCase())].filter(Boolean) : order;
        for (const item of items as FromItem[]) {
          for (const [name, sources] of this.columnsOfItem(item)) out.set(name, sources);
        }
        continue;
      }
      const name = typeof col.as === 'string' ? col.as : col.as?.value ?? (expr?.type === 'column_ref' ? columnName(expr) : undefined);
      if (!name) continue;
      const sources: SourceColumn[] = [];
      for (const ref of columnRefs(expr)) sources.push(...this.resolve(ref, scope, order));
      out.set(String(name).toLowerCase(), dedupe(sources));
    }
    // UNION / INTERSECT / EXCEPT: the next SELECT's columns add to the same positions.
    if (stmt._next) {
      const next = [...this.select(stmt._next, ctes).values()];
      [...out.keys()].forEach((k, i) => out.set(k, dedupe([...out.get(k)!, ...(next[i] ?? [])])));
    }
    return out;
  }

  private columnsOfItem(item: FromItem): ColumnLineage {
    if (item.kind === 'derived') return item.columns;
    const out: ColumnLineage = new Map();
    for (const c of this.columnsOf(item.relation) ?? []) out.set(c.toLowerCase(), [{ relation: item.relation, column: c.toLowerCase() }]);
    return out;
  }

  private resolve(ref: Node, scope: Map<string, FromItem>, order: FromItem[]): SourceColumn[] {
    const column = String(columnName(ref)).toLowerCase();
    const item = ref.table ? scope.get(String(ref.table).toLowerCase()) : this.owner(column, order);
    if (!item) return [];
    if (item.kind === 'relation') return [{ relation: item.relation, column }];
    return item.columns.get(column) ?? [];
  }

  /** The FROM item an unqualified column belongs to: the only item, or the only one that has it. */
  private owner(column: string, order: FromItem[]): FromItem | undefined {
    if (order.length === 1) return order[0];
    const having = order.filter((item) => this.columnsOfItem(item).has(column));
    return having.length === 1 ? having[0] : undefined;
  }
}

function columnsOf(stmt: Node): Node[] {
  const cols = stmt.columns;
  if (cols === '*') return [{ expr: { type: 'column_ref', table: null, column: '*' } }];
  return Array.isArray(cols) ? cols : [];
}

function columnName(ref: Node): string {
  const c = ref.column;
  return typeof c === 'string' ? c : String(c?.expr?.value ?? c?.value ?? '');
}

/** `db.schema.table`, lower case, without quotes (BigQuery may give `project.dataset.table` as one name). */
function relationName(from: Node): string {
  return [from.db, from.schema, from.table]
    .filter((p) => typeof p === 'string' && p !== '')
    .join('.')
    .replace(/[`"[\]]/g, '')
    .toLowerCase();
}

/** Every column reference inside an expression (not inside a nested SELECT's own scope). */
function columnRefs(expr: unknown): Node[] {
  const out: Node[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const node = n as Node;
    if (node.type === 'column_ref') {
      if (columnName(node) !== '*') out.push(node);
      return;
    }
    if (node.ast) return; // a scalar subquery has its own scope
    for (const v of Object.values(node)) walk(v);
  };
  walk(expr);
  return out;
}

function dedupe(sources: SourceColumn[]): SourceColumn[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = `${s.relation}\u0000${s.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
