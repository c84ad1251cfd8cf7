/**
 * The service → database → schema → table walk every database-style source shares (the idea of
 * OpenMetadata's `DatabaseServiceTopology` in `source/database/database_service.py`): the source
 * only supplies producers; this helper owns the FQNs, the three filters and their reasons,
 * `schemaDone`, abort and bounded, ordered table concurrency.
 */
import { left, right, type Either, type StepFailure } from '../either';
import { CompiledFilter } from '../filters';
import { buildFqn } from '../fqn';
import type { CreateDatabaseServiceRequest } from '../model/entities';
import type { OmRecord } from '../model/records';
import type { StepStatus } from '../status';
import { runOrdered } from './run-ordered';

export interface DatabaseScope {
  name: string;
  /** `service.database`. */
  fqn: string;
}

export interface SchemaScope {
  name: string;
  /** `service.database.schema`. */
  fqn: string;
  database: DatabaseScope;
}

/** One table the listing found: its name (filtered here) and how to build its records. */
export interface TableCandidate {
  name: string;
  /** Builds the table's records (a table, a profile request, failures...); runs concurrently. */
  produce(table: { name: string; fqn: string; schema: SchemaScope }): Promise<Either<OmRecord>[]>;
}

/** A listing (of a database's schemas or a schema's tables) that threw part-way. */
export interface ListingFailure {
  level: 'schema' | 'table';
  /** The database whose schemas, or the schema whose tables, were being listed. */
  scope: DatabaseScope | SchemaScope;
  error: unknown;
  /** Items the listing delivered before it failed (schemas, or table candidates). */
  listed: number;
  /** Records produced from them: tables for a table listing, tables of all schemas for a schema listing. */
  produced: number;
  /** True when the listing failed before its first item (for a table listing that could not start: the schema was not announced). */
  first: boolean;
}

type Tables = Iterable<TableCandidate> | AsyncIterable<TableCandidate>;

export interface HierarchyProducers {
  service(): CreateDatabaseServiceRequest | Promise<CreateDatabaseServiceRequest>;
  databases(): Iterable<string> | AsyncIterable<string>;
  schemas(database: DatabaseScope): Iterable<string> | AsyncIterable<string>;
  /**
   * The schema's table candidates in listing order; not called when `includeTables` is false. A
   * promise is awaited before the schema is announced, so a schema whose listing cannot even start
   * (a missing bucket) is one failure instead of an empty schema.
   */
  tables(schema: SchemaScope): Tables | Promise<Tables>;
  /**
   * What to report for a listing that threw: a failure to yield, or undefined for none (the
   * schema then only ends incomplete). May throw to end the whole source (after the schema's
   * incomplete `schemaDone`). Default: a failure weighing as much as what was produced.
   */
  listingFailed?(failure: ListingFailure): Either<OmRecord> | undefined;
}

/** Nouns of the filter reasons (`<noun> Filtered Out`, OpenMetadata's wording). */
export interface FilterNouns {
  database?: string;
  schema?: string;
  table?: string;
}

export interface DatabaseHierarchyOptions {
  serviceName: string;
  status: StepStatus;
  signal?: AbortSignal;
  filters?: { database?: CompiledFilter; schema?: CompiledFilter; table?: CompiledFilter };
  /** Match the filters against FQNs instead of bare names (OpenMetadata's `useFqnForFiltering`). */
  useFqnForFiltering?: boolean;
  /** List and produce tables (default true); without, schemas end with nothing to mark deleted. */
  includeTables?: boolean;
  /** Passed on in `schemaDone` (default true): the sink may mark unseen tables deleted. */
  markDeletedTables?: boolean;
  /** Tables produced at once (default 1); records still come in listing order. */
  concurrency?: number;
  nouns?: FilterNouns;
}

const NONE = new CompiledFilter(undefined);

export class DatabaseHierarchy {
  private readonly filters: { database: CompiledFilter; schema: CompiledFilter; table: CompiledFilter };
  private readonly reasons: { database: string; schema: string; table: string };
  /** Table candidates the table filter left out so far (progress totals subtract them). */
  tablesFiltered = 0;

  constructor(private readonly options: DatabaseHierarchyOptions) {
    this.filters = { database: options.filters?.database ?? NONE, schema: options.filters?.schema ?? NONE, table: options.filters?.table ?? NONE };
    const nouns = options.nouns ?? {};
    this.reasons = {
      database: `${nouns.database ?? 'Database'} Filtered Out`,
      schema: `${nouns.schema ?? 'Schema'} Filtered Out`,
      table: `${nouns.table ?? 'Table'} Filtered Out`,
    };
  }

  get serviceName(): string {
    return this.options.serviceName;
  }

  /** The filter reason of a level, as counted in the status. */
  reason(level: 'database' | 'schema' | 'table'): string {
    return this.reasons[level];
  }

  /** True when the database filter leaves this database out (no status change). */
  excludesDatabase(database: string): boolean {
    return this.filters.database.filtersOut(this.options.useFqnForFiltering ? buildFqn(this.serviceName, database) : database);
  }

  excludesSchema(database: string, schema: string): boolean {
    return this.filters.schema.filtersOut(this.options.useFqnForFiltering ? buildFqn(this.serviceName, database, schema) : schema);
  }

  excludesTable(database: string, schema: string, table: string): boolean {
    return this.filters.table.filtersOut(this.options.useFqnForFiltering ? buildFqn(this.serviceName, database, schema, table) : table);
  }

  /**
   * The level whose filter leaves out a table known by its parts (a table from the catalog, not
   * from a listing), counted in the status under the table's FQN; undefined when it is kept.
   */
  filterTable(database: string, schema: string, table: string): 'database' | 'schema' | 'table' | undefined {
    const level = this.excludesDatabase(database)
      ? 'database'
      : this.excludesSchema(database, schema)
        ? 'schema'
        : this.excludesTable(database, schema, table)
          ? 'table'
          : undefined;
    if (level) this.options.status.filter(buildFqn(this.serviceName, database, schema, table), this.reasons[level]);
    return level;
  }

  private get aborted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** Service, then each kept database with its schemas, each schema with its tables and `schemaDone`. */
  async *records(producers: HierarchyProducers): AsyncGenerator<Either<OmRecord>> {
    yield right<OmRecord>({ kind: 'databaseService', entity: await producers.service() });
    for await (const name of producers.databases()) {
      if (this.aborted) return;
      const database: DatabaseScope = { name, fqn: buildFqn(this.serviceName, name) };
      if (this.excludesDatabase(name)) {
        this.options.status.filter(database.fqn, this.reasons.database);
        continue;
      }
      yield right<OmRecord>({ kind: 'database', entity: { name, service: this.serviceName } });
      yield* this.schemas(producers, database);
    }
  }

  private async *schemas(producers: HierarchyProducers, database: DatabaseScope): AsyncGenerator<Either<OmRecord>> {
    let listed = 0;
    const produced = { tables: 0 };
    const listing = toAsync(producers.schemas(database))[Symbol.asyncIterator]();
    for (;;) {
      let next: IteratorResult<string>;
      // Only the schema listing's own failures are caught here; a table listing's end this schema.
      try {
        next = await listing.next();
      } catch (error) {
        const failure = (producers.listingFailed ?? defaultListingFailure)({ level: 'schema', scope: database, error, listed, produced: produced.tables, first: listed === 0 });
        if (failure) yield failure;
        return;
      }
      if (next.done) return;
      if (this.aborted) {
        await listing.return?.(undefined);
        return;
      }
      listed++;
      yield* this.schema(producers, { name: next.value, fqn: buildFqn(this.serviceName, database.name, next.value), database }, produced);
    }
  }

  private async *schema(producers: HierarchyProducers, schema: SchemaScope, produced: { tables: number }): AsyncGenerator<Either<OmRecord>> {
    if (this.excludesSchema(schema.database.name, schema.name)) {
      this.options.status.filter(schema.fqn, this.reasons.schema);
      return;
    }
    const includeTables = this.options.includeTables !== false;
    const announce = right<OmRecord>({ kind: 'databaseSchema', entity: { name: schema.name, database: schema.database.fqn } });
    const done = (complete: boolean) =>
      right<OmRecord>({ kind: 'schemaDone', databaseSchema: schema.fqn, complete, markDeletedTables: this.options.markDeletedTables !== false && includeTables });
    if (!includeTables) {
      yield announce;
      yield done(true);
      return;
    }
    let listing: AsyncIterator<TableCandidate>;
    try {
      listing = toAsync(await producers.tables(schema))[Symbol.asyncIterator]();
    } catch (error) {
      const failure = (producers.listingFailed ?? defaultListingFailure)({ level: 'table', scope: schema, error, listed: 0, produced: 0, first: true });
      if (failure) yield failure;
      return;
    }
    yield announce;
    const counts = { listed: 0, tables: 0 };
    let complete = true;
    try {
      for await (const out of runOrdered(this.tasks(schema, listing, counts), Math.max(1, this.options.concurrency ?? 1))) {
        for (const item of out) {
          if (item.ok) {
            counts.tables++;
            produced.tables++;
          }
          yield item;
        }
      }
    } catch (error) {
      complete = false;
      let failure: Either<OmRecord> | undefined;
      try {
        failure = (producers.listingFailed ?? defaultListingFailure)({ level: 'table', scope: schema, error, listed: counts.listed, produced: counts.tables, first: counts.listed === 0 });
      } catch (fatal) {
        yield done(false);
        throw fatal;
      }
      if (failure) yield failure;
    }
    if (this.aborted) complete = false;
    yield done(complete);
  }

  private async *tasks(
    schema: SchemaScope,
    listing: AsyncIterator<TableCandidate>,
    counts: { listed: number },
  ): AsyncGenerator<() => Promise<Either<OmRecord>[]>> {
    for (;;) {
      if (this.aborted) {
        await listing.return?.();
        return;
      }
      const next = await listing.next();
      if (next.done) return;
      if (this.aborted) {
        await listing.return?.();
        return;
      }
      const candidate = next.value;
      counts.listed++;
      const fqn = buildFqn(this.serviceName, schema.database.name, schema.name, candidate.name);
      if (this.excludesTable(schema.database.name, schema.name, candidate.name)) {
        this.tablesFiltered++;
        this.options.status.filter(fqn, this.reasons.table);
        continue;
      }
      yield () => candidate.produce({ name: candidate.name, fqn, schema });
    }
  }
}

/** A listing failure weighing as much as what was produced (the unseen part is unknown). */
export function defaultListingFailure(f: ListingFailure): Either<OmRecord> {
  const message = f.error instanceof Error ? f.error.message : String(f.error);
  const what = f.level === 'schema' ? `the schemas of database ${f.scope.fqn}` : `the tables of schema ${f.scope.fqn}`;
  if (f.first) return left(f.scope.name, `cannot list ${what}: ${message}`);
  const weight = Math.max(1, f.produced);
  const error: StepFailure = {
    name: f.scope.name,
    error: `the listing of ${what} failed after ${f.listed} item(s): the rest was not seen, so it counts as ${weight} failed table(s) (as many as were read): ${message}`,
    weight,
  };
  return { ok: false, error };
}

async function* toAsync<T>(items: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  yield* items;
}
