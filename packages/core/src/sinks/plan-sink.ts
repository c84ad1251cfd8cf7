/**
 * `--dry-run`: stands in for the configured sink. Every record the sink would have written becomes
 * one planned line (create / update / write), and at the end the tables mark-deleted would remove are
 * listed too. Nothing is sent; with a catalog bound (the metadata-rest sink's plugin) it only reads,
 * to tell creates from updates and to find the tables that would be marked deleted.
 */
import { failureFrom, left, right, type Either } from '../either';
import type { TableCatalog } from '../catalog';
import { buildFqn, splitFqn, tableFqnOf } from '../fqn';
import type { EntityType } from '../model/entities';
import { recordName, type OmRecord } from '../model/records';
import { StepStatus, type StepStatusSnapshot } from '../status';
import type { Sink, SinkResult, StepContext } from '../steps';

export type PlannedAction = 'create' | 'update' | 'create or update' | 'write' | 'delete';

export interface PlanCounts {
  create: number;
  update: number;
  'create or update': number;
  write: number;
  delete: number;
}

export interface PlanSnapshot extends StepStatusSnapshot {
  plan: { sink: string; counts: PlanCounts };
}

export class PlanStatus extends StepStatus {
  readonly counts: PlanCounts = { create: 0, update: 0, 'create or update': 0, write: 0, delete: 0 };
  constructor(readonly sinkType: string) {
    super(`Sink ${sinkType} (dry run: nothing sent)`);
  }
  override snapshot(): PlanSnapshot {
    return { ...super.snapshot(), plan: { sink: this.sinkType, counts: { ...this.counts } } };
  }
}

/** The FQN a create request names (the server builds it the same way). */
function entityFqn(record: OmRecord): { type: EntityType; fqn: string } | undefined {
  switch (record.kind) {
    case 'databaseService':
      return { type: 'databaseService', fqn: buildFqn(record.entity.name) };
    case 'database':
      return { type: 'database', fqn: buildFqn(record.entity.service, record.entity.name) };
    case 'databaseSchema':
      return { type: 'databaseSchema', fqn: `${record.entity.database}.${buildFqn(record.entity.name)}` };
    case 'table':
      return { type: 'table', fqn: tableFqnOf(record.entity) };
    default:
      return undefined;
  }
}

export class PlanSink implements Sink {
  readonly status: PlanStatus;
  private readonly seenBySchema = new Map<string, Set<string>>();
  private readonly toCheck: string[] = [];

  constructor(
    sinkType: string,
    private readonly context: Pick<StepContext, 'stdout' | 'masker' | 'signal'>,
    private readonly catalog: TableCatalog | undefined,
  ) {
    this.status = new PlanStatus(sinkType);
    this.status.redact = (t) => context.masker.redact(t);
  }

  private plan(action: PlannedAction, what: string, fqn: string): void {
    this.status.counts[action]++;
    this.context.stdout.write(`${this.context.masker.redact(`[dry run] ${action} ${what} ${fqn}`)}\n`);
  }

  async write(record: OmRecord): Promise<Either<SinkResult>> {
    try {
      if (record.kind === 'schemaDone') {
        if (record.complete && record.markDeletedTables) this.toCheck.push(record.databaseSchema);
        else this.seenBySchema.delete(record.databaseSchema);
        return right({});
      }
      if (record.kind === 'tableUnchanged') {
        // Nothing would be sent, but the table exists: mark-deleted keeps it.
        let seen = this.seenBySchema.get(record.databaseSchema);
        if (!seen) this.seenBySchema.set(record.databaseSchema, (seen = new Set()));
        seen.add(record.fqn.toLowerCase());
        return right({});
      }
      const entity = entityFqn(record);
      if (entity) {
        if (record.kind === 'table') {
          let seen = this.seenBySchema.get(record.entity.databaseSchema);
          if (!seen) this.seenBySchema.set(record.entity.databaseSchema, (seen = new Set()));
          seen.add(entity.fqn.toLowerCase());
        }
        const action: PlannedAction = this.catalog?.exists ? ((await this.catalog.exists(entity.type, entity.fqn)) ? 'update' : 'create') : 'create or update';
        this.plan(action, entity.type, entity.fqn);
        return right({ updated: action === 'update' });
      }
      switch (record.kind) {
        case 'delete':
          this.plan('delete', record.entityType, record.fqn);
          break;
        case 'tableProfile':
          this.plan('write', 'profile of table', record.tableFqn);
          break;
        case 'testCaseResults':
          this.plan('write', `${record.results.length} test case result(s) of table`, record.tableFqn);
          break;
        default:
          this.plan('write', record.kind, recordLabel(record));
      }
      return right({});
    } catch (err) {
      const failure = failureFrom(recordLabel(record), err, 'cannot plan this write');
      return left(failure.name, failure.error);
    }
  }

  /** The tables mark-deleted would remove: the catalog's tables of each complete schema not seen in this run. */
  async finish(context: { runFailed: boolean }): Promise<void> {
    if (this.toCheck.length === 0) return;
    if (context.runFailed) {
      this.context.stdout.write('[dry run] no table would be marked deleted: the run had failures\n');
      return;
    }
    if (!this.catalog) {
      this.context.stdout.write(`[dry run] mark-deleted is not planned: the ${this.status.sinkType} sink keeps no catalog to compare with\n`);
      return;
    }
    const schemas = new Set(this.toCheck);
    const services = new Set([...schemas].map((s) => splitFqn(s)[0]));
    const counts = new Map<string, { server: number; stale: number }>();
    try {
      for (const service of services) {
        for await (const table of this.catalog.listTables(service, this.context.signal)) {
          const schema = table.databaseSchema ?? table.fullyQualifiedName.slice(0, table.fullyQualifiedName.lastIndexOf('.'));
          if (!schemas.has(schema)) continue;
          const count = counts.get(schema) ?? { server: 0, stale: 0 };
          counts.set(schema, count);
          count.server++;
          if (this.seenBySchema.get(schema)?.has(table.fullyQualifiedName.toLowerCase())) continue;
          count.stale++;
          this.plan('delete', 'table (mark deleted)', table.fullyQualifiedName);
        }
      }
      // The sink may refuse to delete more than a share of a schema (markDeletedMaxPercent): the share, to compare.
      for (const [schema, c] of counts) {
        if (c.stale === 0) continue;
        const percent = ((c.stale * 100) / c.server).toFixed(1);
        this.context.stdout.write(`${this.context.masker.redact(`[dry run] mark-deleted: ${c.stale} of the ${c.server} tables of ${schema} (${percent} %)`)}\n`);
      }
    } catch (err) {
      this.status.failed(failureFrom('mark-deleted plan', err, 'cannot list the tables to compare with'));
    }
  }

  async close(): Promise<void> {
    await this.catalog?.close?.();
  }
}

function recordLabel(record: OmRecord): string {
  const name = (record as { name?: unknown; fqn?: unknown }).name ?? (record as { fqn?: unknown }).fqn;
  return typeof name === 'string' ? name : recordName(record);
}
