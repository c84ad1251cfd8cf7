/**
 * mark-deleted: remembers which table FQNs each schema produced in this run (FQN strings only) and,
 * once a run ended without failures, soft-deletes the server's tables of that schema that were not
 * seen — unless too large a share would go.
 *
 * Safety rules:
 * - only schemas whose `schemaDone` said `complete: true` and `markDeletedTables: true`;
 * - nothing at all after a failed run (`finish({runFailed: true})` or any sink error);
 * - per schema, refuse when more than `maxPercent` of its server tables would be deleted;
 * - soft delete only (`hardDelete=false`), so a mistake can be restored.
 */

/** Lower-cased: OpenMetadata matches names case-insensitively, and a case-only change must not delete. */
const key = (fqn: string): string => fqn.toLowerCase();

export interface SchemaToCheck {
  schema: string;
  seen: Set<string>;
}

export interface DeletionPlan {
  schema: string;
  serverTables: number;
  stale: { id: string; fullyQualifiedName: string }[];
  /** Share of the server's tables that would go, in percent. */
  percent: number;
  refused: boolean;
}

export class MarkDeletedTracker {
  private readonly seenBySchema = new Map<string, Set<string>>();
  private readonly ready = new Map<string, Set<string>>();

  /** A table record went by (whether or not its PUT succeeds: a table that failed to write must not be deleted). */
  tableSeen(schemaFqn: string, tableFqn: string): void {
    let set = this.seenBySchema.get(schemaFqn);
    if (!set) this.seenBySchema.set(schemaFqn, (set = new Set()));
    set.add(key(tableFqn));
  }

  /**
   * The schema's tables are all through. Returns what happens to it: `'scheduled'` (checked at the end
   * of a successful run), `'incomplete'` (its listing failed: never checked) or `'off'`.
   */
  schemaDone(schemaFqn: string, complete: boolean, markDeletedTables: boolean): 'scheduled' | 'incomplete' | 'off' {
    const seen = this.seenBySchema.get(schemaFqn) ?? new Set<string>();
    this.seenBySchema.delete(schemaFqn);
    if (!markDeletedTables) return 'off';
    if (!complete) {
      // A later complete schemaDone for the same schema must not resurrect it.
      this.ready.delete(schemaFqn);
      this.incomplete.add(schemaFqn);
      return 'incomplete';
    }
    if (this.incomplete.has(schemaFqn)) return 'incomplete';
    const prev = this.ready.get(schemaFqn);
    if (prev) for (const f of seen) prev.add(f);
    else this.ready.set(schemaFqn, seen);
    return 'scheduled';
  }

  private readonly incomplete = new Set<string>();

  /** Schemas to check, in the order they finished; empties the tracker. */
  take(): SchemaToCheck[] {
    const out = [...this.ready.entries()].map(([schema, seen]) => ({ schema, seen }));
    this.ready.clear();
    this.seenBySchema.clear();
    return out;
  }

  /** The tables seen so far for a schema (lower-cased FQNs), before its `schemaDone`. */
  seenOf(schemaFqn: string): Set<string> {
    return this.seenBySchema.get(schemaFqn) ?? new Set();
  }

  get scheduled(): number {
    return this.ready.size;
  }
}

/** Which server tables of a schema were not seen, and whether deleting them is allowed. */
export function planDeletion(
  schema: string,
  seen: Set<string>,
  serverTables: { id: string; fullyQualifiedName: string }[],
  maxPercent: number,
): DeletionPlan {
  const stale = serverTables.filter((t) => !seen.has(key(t.fullyQualifiedName)));
  const percent = serverTables.length === 0 ? 0 : (stale.length * 100) / serverTables.length;
  return { schema, serverTables: serverTables.length, stale, percent, refused: stale.length > 0 && percent > maxPercent };
}
