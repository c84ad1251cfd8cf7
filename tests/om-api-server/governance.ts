/**
 * Classifications, tags, users and teams of the test server. Tags created here become valid
 * `tagFQN`s for table/column tag labels (they are added to the store's `knownTags`).
 * Users and teams have no create endpoint the ingestion uses: tests seed them with
 * `seedUser` / `seedTeam` (or `POST /__admin/users|teams` on a server started from the CLI).
 */
import { randomUUID } from 'node:crypto';
import { join, split } from './fqn';
import { DEFAULT_TAGS } from './spec';
import { badRequest, checkEntityName, isObject, notFound } from './validate';

type Obj = Record<string, unknown>;
export type ChangeKind = 'entityCreated' | 'entityUpdated' | 'entityNoChange';


export interface PrincipalEntity {
  id: string;
  name: string;
  fullyQualifiedName: string;
  displayName?: string;
  email?: string;
  type: 'user' | 'team';
  deleted: boolean;
}

function requiredString(body: Obj, field: string): string {
  const v = body[field];
  if (v === undefined || v === null) throw badRequest(`[${field} must not be null]`);
  if (typeof v !== 'string') throw badRequest(`[${field} must be a string]`);
  return v;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value).filter((k) => value[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const bump = (v: number): number => Math.round((v + 0.1) * 10) / 10;

export class GovernanceStore {
  readonly classifications = new Map<string, Obj>();
  /** Tag FQN → tag entity. */
  readonly tags = new Map<string, Obj>();
  readonly users = new Map<string, PrincipalEntity>();
  readonly teams = new Map<string, PrincipalEntity>();

  /** `knownTags` is the store's set used to validate tag labels; created tags are added to it. */
  constructor(private readonly knownTags: Set<string>) {
    this.seedDefaults();
  }

  private seedDefaults(): void {
    for (const fqn of DEFAULT_TAGS) {
      const [classification, tag] = split(fqn);
      if (!this.classifications.has(classification)) {
        this.classifications.set(classification, {
          id: randomUUID(), name: classification, fullyQualifiedName: classification, description: `${classification} tags`,
          provider: 'system', version: 0.1,
        });
      }
      this.tags.set(fqn, {
        id: randomUUID(), name: tag, fullyQualifiedName: fqn, description: `${tag}`, provider: 'system', version: 0.1,
        classification: this.refOfClassification(classification),
      });
    }
  }

  private refOfClassification(name: string): Obj {
    const c = this.classifications.get(name)!;
    return { id: c.id, type: 'classification', name: c.name, fullyQualifiedName: c.fullyQualifiedName };
  }

  // ----- classifications and tags -----

  putClassification(body: Obj): { entity: Obj; change: ChangeKind } {
    // The body has met the CreateClassification schema (server.ts); a dot would break tag FQNs.
    const name = requiredString(body, 'name');
    checkEntityName(name);
    if (name.includes('.')) throw badRequest(`[name must match "^((?!::)(?!\\.).)*$"]`);
    const existing = this.classifications.get(name);
    if (!existing) {
      const entity = { ...structuredClone(body), id: randomUUID(), fullyQualifiedName: name, version: 0.1 };
      this.classifications.set(name, entity);
      return { entity, change: 'entityCreated' };
    }
    const merged = { ...existing, ...structuredClone(body) };
    if (canonical(merged) === canonical(existing)) return { entity: existing, change: 'entityNoChange' };
    merged.version = bump(existing.version as number);
    this.classifications.set(name, merged);
    return { entity: merged, change: 'entityUpdated' };
  }

  getClassification(name: string): Obj {
    const c = this.classifications.get(name);
    if (!c) throw notFound('classification', name);
    return c;
  }

  putTag(body: Obj): { entity: Obj; change: ChangeKind } {
    // The body has met the CreateTag schema (server.ts).
    const name = requiredString(body, 'name');
    checkEntityName(name);
    requiredString(body, 'description');
    let parentFqn: string;
    let classification: string;
    if (body.parent !== undefined && body.parent !== null) {
      const parent = this.tags.get(requiredString(body, 'parent'));
      if (!parent) throw notFound('tag', body.parent as string);
      parentFqn = parent.fullyQualifiedName as string;
      classification = split(parentFqn)[0];
    } else {
      if (body.classification === undefined || body.classification === null) {
        throw badRequest('[classification must not be null when parent is not given]');
      }
      classification = requiredString(body, 'classification');
      if (!this.classifications.has(classification)) throw notFound('classification', classification);
      parentFqn = join(classification);
    }
    const fqn = `${parentFqn}.${join(name)}`;
    const existing = this.tags.get(fqn);
    const stored: Obj = { ...structuredClone(body), fullyQualifiedName: fqn, classification: this.refOfClassification(classification) };
    delete stored.parent;
    if (!existing) {
      const entity = { ...stored, id: randomUUID(), version: 0.1 };
      this.tags.set(fqn, entity);
      this.knownTags.add(fqn);
      return { entity, change: 'entityCreated' };
    }
    const merged = { ...existing, ...stored };
    if (canonical(merged) === canonical(existing)) return { entity: existing, change: 'entityNoChange' };
    merged.version = bump(existing.version as number);
    this.tags.set(fqn, merged);
    return { entity: merged, change: 'entityUpdated' };
  }

  getTag(fqn: string): Obj {
    const t = this.tags.get(fqn);
    if (!t) throw notFound('tag', fqn);
    return t;
  }

  listTags(query: URLSearchParams): Obj {
    const parent = query.get('parent');
    const data = [...this.tags.values()].filter((t) => !parent || (t.fullyQualifiedName as string).startsWith(`${parent}.`));
    return { data, paging: { total: data.length } };
  }

  // ----- users and teams -----

  seedUser(user: { name: string; email?: string; displayName?: string }): PrincipalEntity {
    return this.seed('user', user);
  }

  seedTeam(team: { name: string; email?: string; displayName?: string }): PrincipalEntity {
    return this.seed('team', team);
  }

  private seed(type: 'user' | 'team', p: { name: string; email?: string; displayName?: string }): PrincipalEntity {
    if (!p || typeof p.name !== 'string') throw badRequest('[name must not be null]');
    checkEntityName(p.name);
    const map = type === 'user' ? this.users : this.teams;
    const entity: PrincipalEntity = {
      id: randomUUID(), name: p.name, fullyQualifiedName: join(p.name), type, deleted: false,
      ...(p.email ? { email: p.email } : type === 'user' ? { email: `${p.name}@example.com` } : {}),
      ...(p.displayName ? { displayName: p.displayName } : {}),
    };
    map.set(p.name, entity);
    return entity;
  }

  getPrincipal(type: 'user' | 'team', name: string): PrincipalEntity {
    const e = (type === 'user' ? this.users : this.teams).get(name);
    if (!e || e.deleted) throw notFound(type, name);
    return e;
  }

  listPrincipals(type: 'user' | 'team', query: URLSearchParams): Obj {
    const email = query.get('email');
    const data = [...(type === 'user' ? this.users : this.teams).values()].filter((e) => !e.deleted && (!email || e.email === email));
    return { data, paging: { total: data.length } };
  }

  /** The principal an owner reference points at (by id); 404 when unknown, 400 on a type mismatch. */
  resolveOwner(ref: unknown, path: string): Obj {
    if (!isObject(ref)) throw badRequest(`[${path} must be an object]`);
    if (typeof ref.id !== 'string') throw badRequest(`[${path}.id must not be null]`);
    if (ref.type !== 'user' && ref.type !== 'team') throw badRequest(`Invalid owner type ${String(ref.type)}; an owner is a user or a team`);
    const found = [...(ref.type === 'user' ? this.users : this.teams).values()].find((e) => e.id === ref.id && !e.deleted);
    if (!found) throw notFound(ref.type, ref.id);
    return { id: found.id, type: found.type, name: found.name, fullyQualifiedName: found.fullyQualifiedName, deleted: false };
  }

  reset(): void {
    this.classifications.clear();
    this.tags.clear();
    this.users.clear();
    this.teams.clear();
    for (const t of [...this.knownTags]) if (!DEFAULT_TAGS.includes(t)) this.knownTags.delete(t);
    this.seedDefaults();
  }
}
