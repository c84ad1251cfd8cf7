/**
 * What the dbt source reads from OpenMetadata to plan its records: a model's table by FQN (or, with
 * `searchAcrossDatabases` or no database, by schema and name in any database of the service), and
 * owners by user or team name.
 */
import { buildFqn, splitFqn, type TagLabel } from '@om/core';
import type { EntityBase, OpenMetadataClient } from '@om/openmetadata';
import type { DbtNode } from './artifacts/manifest';
import type { MappedNames } from './naming';

interface OmColumn {
  name: string;
  description?: string;
  tags?: TagLabel[];
  [key: string]: unknown;
}

export interface OmTable extends EntityBase {
  description?: string;
  columns?: OmColumn[];
  tags?: TagLabel[];
  owners?: { id: string; type: string }[];
  owner?: { id: string; type: string };
}

/** A dbt node and the OpenMetadata table it was found as. */
export interface Resolved {
  node: DbtNode;
  table: OmTable;
}

export type OwnerRef = { id: string; type: 'user' | 'team'; name: string };

export class CatalogLookup {
  private serviceIndex: Map<string, OmTable[]> | undefined;
  private readonly owners = new Map<string, OwnerRef | null>();

  constructor(
    private readonly client: OpenMetadataClient,
    private readonly serviceName: string,
    private readonly searchAcrossDatabases: boolean,
    private readonly ownersField: 'owners' | 'owner',
  ) {}

  private tableFields(): string[] {
    return ['columns', 'tags', this.ownersField];
  }

  async findTable(names: MappedNames, tried: string): Promise<{ table?: OmTable; tried: string; reason?: string }> {
    if (names.database) {
      const table = await this.client.getByName<OmTable>('tables', tried, { fields: this.tableFields() });
      if (table) return { table, tried };
      if (!this.searchAcrossDatabases) return { tried };
    }
    // No database (or searchAcrossDatabases): any database of the service with that schema and table.
    const index = await this.indexService();
    const matches = index.get(`${names.schema}\u0000${names.table}`.toLowerCase()) ?? [];
    const searched = `${buildFqn(this.serviceName)}.*.${buildFqn(names.schema, names.table)}`;
    if (matches.length === 1) {
      const table = await this.client.getByName<OmTable>('tables', matches[0].fullyQualifiedName, { fields: this.tableFields() });
      return table ? { table, tried: matches[0].fullyQualifiedName } : { tried: searched };
    }
    if (matches.length > 1) {
      return {
        tried: searched,
        reason: `table ${searched} is ambiguous: ${matches.map((m) => m.fullyQualifiedName).join(', ')}; set tableNameMapping.database`,
      };
    }
    return { tried: names.database ? `${tried} (also searched ${searched})` : searched };
  }

  private async indexService(): Promise<Map<string, OmTable[]>> {
    if (this.serviceIndex) return this.serviceIndex;
    const index = new Map<string, OmTable[]>();
    // GET /databases?service= then GET /tables?database= (the list filters every 1.x server has).
    const databases: string[] = [];
    for await (const db of this.client.listAll('databases', { service: this.serviceName })) databases.push(db.fullyQualifiedName);
    for (const database of databases) {
      for await (const t of this.client.listAll<OmTable>('tables', { database })) {
        const parts = splitFqn(t.fullyQualifiedName);
        if (parts.length !== 4 || parts[0] !== this.serviceName) continue;
        const key = `${parts[2]}\u0000${parts[3]}`.toLowerCase();
        index.set(key, [...(index.get(key) ?? []), t]);
      }
    }
    this.serviceIndex = index;
    return index;
  }

  /** A user or team by name (or by e-mail), remembered for the run; undefined when there is none. */
  async owner(name: string): Promise<OwnerRef | undefined> {
    if (this.owners.has(name)) return this.owners.get(name) ?? undefined;
    let found: OwnerRef | undefined;
    const user = await this.client.getByName<EntityBase & { email?: string }>('users', name);
    if (user) found = { id: user.id, type: 'user', name: user.name };
    if (!found) {
      const team = await this.client.getByName('teams', name);
      if (team) found = { id: team.id, type: 'team', name: team.name };
    }
    if (!found && name.includes('@')) {
      // An e-mail: OpenMetadata user names are usually the local part.
      const local = name.slice(0, name.indexOf('@'));
      const byLocal = await this.client.getByName<EntityBase & { email?: string }>('users', local);
      if (byLocal && (!byLocal.email || byLocal.email.toLowerCase() === name.toLowerCase())) found = { id: byLocal.id, type: 'user', name: byLocal.name };
    }
    this.owners.set(name, found ?? null);
    return found;
  }
}
