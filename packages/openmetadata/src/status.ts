import { StepStatus, type StepStatusSnapshot } from '@om/core';

export interface EntityCounts {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface MetadataRestDetails {
  /** `hostPort` of the server written to. */
  server: string;
  /** What `GET /system/version` reported (undefined when the check is disabled). */
  serverVersion?: string;
  /** Per entity type (`databaseService`, `database`, `databaseSchema`, `table`). */
  entities: Record<string, EntityCounts>;
  /** Schemas whose mark-deleted was refused or skipped. */
  markDeletedRefused: number;
}

export interface MetadataRestStatusSnapshot extends StepStatusSnapshot {
  openMetadata: MetadataRestDetails;
}

/** Core's step status plus what the server did with each entity. */
export class MetadataRestStatus extends StepStatus {
  readonly details: MetadataRestDetails;

  constructor(server: string, serverVersion?: string) {
    super('Sink metadata-rest');
    this.details = { server, serverVersion, entities: {}, markDeletedRefused: 0 };
  }

  count(entityType: string, what: keyof EntityCounts): void {
    const c = (this.details.entities[entityType] ??= { created: 0, updated: 0, unchanged: 0, deleted: 0 });
    c[what]++;
  }

  totals(): EntityCounts {
    const t: EntityCounts = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
    for (const c of Object.values(this.details.entities)) {
      t.created += c.created;
      t.updated += c.updated;
      t.unchanged += c.unchanged;
      t.deleted += c.deleted;
    }
    return t;
  }

  override snapshot(): MetadataRestStatusSnapshot {
    return { ...super.snapshot(), openMetadata: structuredClone(this.details) };
  }
}
