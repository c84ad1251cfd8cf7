/**
 * The rules of OpenMetadata's server that its JSON Schemas do not state (the schemas themselves are
 * enforced by `contract.ts`): names repeated, lengths and array types the Java validators require,
 * constraint and partition columns that must exist, tags that must exist, custom properties. Messages
 * follow the real server's style (bean validation / EntityNotFoundException).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string): HttpError => new HttpError(400, message);
export const notFound = (entityType: string, key: string): HttpError =>
  new HttpError(404, `${entityType} instance for ${key} not found`);

type Obj = Record<string, unknown>;

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Entity names: the schemas bound the length; `::` is the entity-link separator. */
export function checkEntityName(name: string, path = 'name'): void {
  if (name.length < 1 || name.length > 256) throw badRequest(`[${path} size must be between 1 and 256]`);
  if (name.includes('::')) throw badRequest(`[${path} must match "^((?!::).)*$"]`);
}

/** Classification tags must exist (glossary terms are not modelled). */
export function checkTags(tags: unknown, knownTags: Set<string>): void {
  if (!Array.isArray(tags)) return;
  for (const t of tags) {
    if (!isObject(t) || typeof t.tagFQN !== 'string') continue;
    if ((t.source ?? 'Classification') === 'Classification' && !knownTags.has(t.tagFQN)) throw notFound('tag', t.tagFQN);
  }
}

/** The custom properties registered per entity type (none on a fresh server). */
function checkExtension(ext: unknown, entityType: string, customProperties: Set<string>): void {
  if (!isObject(ext)) return;
  for (const key of Object.keys(ext)) {
    if (!customProperties.has(key)) throw badRequest(`Unknown custom field ${key} for entity type ${entityType}`);
  }
}

export interface ValidationContext {
  knownTags: Set<string>;
  customProperties: Set<string>;
}

function checkCommon(kind: string, body: Obj, ctx: ValidationContext): void {
  checkEntityName(body.name as string);
  checkTags(body.tags, ctx.knownTags);
  checkExtension(body.extension, kind, ctx.customProperties);
}

export function validateCreateService(body: Obj, ctx: ValidationContext): void {
  checkCommon('databaseService', body, ctx);
  const conn = body.connection;
  if (isObject(conn) && isObject(conn.config) && conn.config.type !== undefined && conn.config.type !== body.serviceType) {
    throw badRequest(`Connection type ${String(conn.config.type)} does not match the service type ${String(body.serviceType)}`);
  }
}

export function validateCreateDatabase(body: Obj, ctx: ValidationContext): void {
  checkCommon('database', body, ctx);
}

export function validateCreateSchema(body: Obj, ctx: ValidationContext): void {
  checkCommon('databaseSchema', body, ctx);
}

/** Data types the server refuses without `dataLength` (`ColumnUtil.validateColumn`). */
const NEEDS_DATA_LENGTH = new Set(['CHAR', 'VARCHAR', 'BINARY', 'VARBINARY']);

/** Rules of the server's column validation beyond the schema, recursively through children. */
export function checkColumns(columns: unknown, path: string, ctx: ValidationContext): void {
  if (!Array.isArray(columns)) return;
  const names = new Set<string>();
  columns.forEach((c, i) => {
    if (!isObject(c)) return;
    const name = String(c.name);
    checkEntityName(name, `${path}[${i}].name`);
    if (names.has(name.toLowerCase())) throw badRequest(`Column name ${name} is repeated`);
    names.add(name.toLowerCase());
    if (c.dataType === 'ARRAY' && (c.arrayDataType === undefined || c.arrayDataType === null)) {
      throw badRequest(`For column data type array, arrayDataType must not be null`);
    }
    if (NEEDS_DATA_LENGTH.has(c.dataType as string) && (c.dataLength === undefined || c.dataLength === null)) {
      throw badRequest(`For column data types char, varchar, binary, varbinary dataLength must not be null`);
    }
    checkTags(c.tags, ctx.knownTags);
    checkColumns(c.children, `${path}[${i}].children`, ctx);
  });
}

export function validateCreateTable(body: Obj, ctx: ValidationContext): void {
  checkCommon('table', body, ctx);
  checkColumns(body.columns, 'columns', ctx);
  const columns = body.columns as Obj[];
  const topNames = new Set(columns.map((c) => c.name as string));
  // OpenMetadata's rule: a column-level PRIMARY_KEY names one column; a composite key lives in tableConstraints.
  const pkColumns = columns.filter((c) => c.constraint === 'PRIMARY_KEY');
  if (pkColumns.length > 1) {
    throw badRequest(
      `Table ${String(body.name)} has ${pkColumns.length} columns with constraint PRIMARY_KEY; a composite primary key must be given in tableConstraints`,
    );
  }
  if (Array.isArray(body.tableConstraints)) {
    for (const tc of body.tableConstraints as Obj[]) {
      const cols = (tc.columns ?? []) as string[];
      for (const c of cols) if (!topNames.has(c)) throw badRequest(`Invalid column name found in table constraint: ${c}`);
      if (tc.constraintType === 'FOREIGN_KEY' && (!Array.isArray(tc.referredColumns) || tc.referredColumns.length !== cols.length)) {
        throw badRequest(`Foreign key constraint on ${cols.join(', ')} must list one referred column per column`);
      }
    }
  }
  const partition = body.tablePartition;
  if (isObject(partition) && Array.isArray(partition.columns)) {
    // 1.2 lists column names; 1.5 on lists {columnName, intervalType, interval}.
    for (const p of partition.columns) {
      const name = isObject(p) ? p.columnName : p;
      if (typeof name === 'string' && !topNames.has(name)) throw badRequest(`Invalid column name found in table partition: ${name}`);
    }
  }
}
