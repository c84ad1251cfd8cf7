/**
 * Request validation, as strict as the real server for what om-ingest sends. Messages follow the
 * real server's style (Jackson / bean-validation / EntityNotFoundException).
 */
import {
  COLUMN_CONSTRAINTS, COLUMN_FIELDS, CREATE_FIELDS, DATA_TYPES, DATABASE_SERVICE_TYPES, FILE_FORMATS,
  NEEDS_DATA_LENGTH, PARTITION_INTERVAL_TYPES, RELATIONSHIP_TYPES, TABLE_CONSTRAINT_TYPES, TABLE_TYPES,
  TAG_LABEL_TYPES, TAG_SOURCES, TAG_STATES,
} from './spec';

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

const CLASS_NAMES: Record<string, string> = {
  databaseService: 'CreateDatabaseService',
  database: 'CreateDatabase',
  databaseSchema: 'CreateDatabaseSchema',
  table: 'CreateTable',
};

export function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function enumCheck(set: Set<string>, value: unknown, typeName: string): void {
  if (typeof value !== 'string' || !set.has(value)) {
    throw badRequest(
      `Cannot deserialize value of type \`${typeName}\` from String ${JSON.stringify(value)}: not one of the values accepted for Enum class`,
    );
  }
}

function unknownFields(body: Obj, allowed: Set<string>, className: string): void {
  for (const key of Object.keys(body)) {
    if (!allowed.has(key)) throw badRequest(`Unrecognized field "${key}" (class ${className}), not marked as ignorable`);
  }
}

function requireString(body: Obj, field: string, path = field): string {
  const v = body[field];
  if (v === undefined || v === null) throw badRequest(`[${path} must not be null]`);
  if (typeof v !== 'string') throw badRequest(`[${path} must be a string]`);
  return v;
}

export function checkEntityName(name: string, path = 'name'): void {
  if (name.length < 1 || name.length > 256) throw badRequest(`[${path} size must be between 1 and 256]`);
  if (name.includes('::')) throw badRequest(`[${path} must match "^((?!::).)*$"]`);
}

function optionalString(body: Obj, field: string, path = field): void {
  const v = body[field];
  if (v !== undefined && v !== null && typeof v !== 'string') throw badRequest(`[${path} must be a string]`);
}

function optionalInt(body: Obj, field: string, path = field): void {
  const v = body[field];
  if (v !== undefined && v !== null && !Number.isInteger(v)) throw badRequest(`[${path} must be an integer]`);
}

export function checkTags(tags: unknown, knownTags: Set<string>, path = 'tags'): void {
  if (tags === undefined || tags === null) return;
  if (!Array.isArray(tags)) throw badRequest(`[${path} must be an array]`);
  tags.forEach((t, i) => {
    if (!isObject(t)) throw badRequest(`[${path}[${i}] must be an object]`);
    const fqn = requireString(t, 'tagFQN', `${path}[${i}].tagFQN`);
    if (t.source !== undefined) enumCheck(TAG_SOURCES, t.source, 'TagSource');
    if (t.labelType !== undefined) enumCheck(TAG_LABEL_TYPES, t.labelType, 'LabelType');
    if (t.state !== undefined) enumCheck(TAG_STATES, t.state, 'State');
    if ((t.source ?? 'Classification') === 'Classification' && !knownTags.has(fqn)) throw notFound('tag', fqn);
  });
}

/** The custom properties registered per entity type (none on a fresh server). */
function checkExtension(ext: unknown, entityType: string, customProperties: Set<string>): void {
  if (ext === undefined || ext === null) return;
  if (!isObject(ext)) throw badRequest('[extension must be an object]');
  for (const key of Object.keys(ext)) {
    if (!customProperties.has(key)) throw badRequest(`Unknown custom field ${key} for entity type ${entityType}`);
  }
}

export interface ValidationContext {
  knownTags: Set<string>;
  customProperties: Set<string>;
}

function checkCommon(kind: string, body: Obj, ctx: ValidationContext): string {
  if (!isObject(body)) throw badRequest('Unable to process JSON: the body must be an object');
  unknownFields(body, CREATE_FIELDS[kind], CLASS_NAMES[kind]);
  const name = requireString(body, 'name');
  checkEntityName(name);
  optionalString(body, 'displayName');
  optionalString(body, 'description');
  optionalString(body, 'sourceUrl');
  checkTags(body.tags, ctx.knownTags);
  checkExtension(body.extension, kind, ctx.customProperties);
  return name;
}

export function validateCreateService(body: Obj, ctx: ValidationContext): void {
  checkCommon('databaseService', body, ctx);
  enumCheck(DATABASE_SERVICE_TYPES, requireString(body, 'serviceType'), 'DatabaseServiceType');
  const conn = body.connection;
  if (conn !== undefined && conn !== null) {
    if (!isObject(conn) || !isObject(conn.config)) throw badRequest('[connection.config must not be null]');
    const type = conn.config.type;
    if (type !== undefined && type !== body.serviceType) {
      throw badRequest(`Connection type ${String(type)} does not match the service type ${String(body.serviceType)}`);
    }
  }
}

export function validateCreateDatabase(body: Obj, ctx: ValidationContext): void {
  checkCommon('database', body, ctx);
  requireString(body, 'service');
  if (body.default !== undefined && typeof body.default !== 'boolean') throw badRequest('[default must be a boolean]');
}

export function validateCreateSchema(body: Obj, ctx: ValidationContext): void {
  checkCommon('databaseSchema', body, ctx);
  requireString(body, 'database');
}

export function checkColumns(columns: unknown, path: string, ctx: ValidationContext): void {
  if (!Array.isArray(columns)) throw badRequest(`[${path} must not be null]`);
  const names = new Set<string>();
  columns.forEach((c, i) => {
    const at = `${path}[${i}]`;
    if (!isObject(c)) throw badRequest(`[${at} must be an object]`);
    for (const key of Object.keys(c)) {
      if (!COLUMN_FIELDS.has(key)) throw badRequest(`Unrecognized field "${key}" (class Column), not marked as ignorable`);
    }
    const name = requireString(c, 'name', `${at}.name`);
    checkEntityName(name, `${at}.name`);
    if (names.has(name.toLowerCase())) throw badRequest(`Column name ${name} is repeated`);
    names.add(name.toLowerCase());
    enumCheck(DATA_TYPES, requireString(c, 'dataType', `${at}.dataType`), 'ColumnDataType');
    if (c.arrayDataType !== undefined && c.arrayDataType !== null) enumCheck(DATA_TYPES, c.arrayDataType, 'ColumnDataType');
    if (c.dataType === 'ARRAY' && (c.arrayDataType === undefined || c.arrayDataType === null)) {
      throw badRequest(`For column data type array, arrayDataType must not be null`);
    }
    if (NEEDS_DATA_LENGTH.has(c.dataType as string) && (c.dataLength === undefined || c.dataLength === null)) {
      throw badRequest(`For column data types char, varchar, binary, varbinary dataLength must not be null`);
    }
    optionalInt(c, 'dataLength', `${at}.dataLength`);
    optionalInt(c, 'precision', `${at}.precision`);
    optionalInt(c, 'scale', `${at}.scale`);
    optionalInt(c, 'ordinalPosition', `${at}.ordinalPosition`);
    optionalString(c, 'dataTypeDisplay', `${at}.dataTypeDisplay`);
    optionalString(c, 'description', `${at}.description`);
    optionalString(c, 'jsonSchema', `${at}.jsonSchema`);
    if (c.constraint !== undefined && c.constraint !== null) enumCheck(COLUMN_CONSTRAINTS, c.constraint, 'ColumnConstraint');
    checkTags(c.tags, ctx.knownTags, `${at}.tags`);
    if (c.children !== undefined && c.children !== null) checkColumns(c.children, `${at}.children`, ctx);
  });
}

export function validateCreateTable(body: Obj, ctx: ValidationContext): void {
  checkCommon('table', body, ctx);
  requireString(body, 'databaseSchema');
  if (body.tableType !== undefined && body.tableType !== null) enumCheck(TABLE_TYPES, body.tableType, 'TableType');
  if (body.fileFormat !== undefined && body.fileFormat !== null) enumCheck(FILE_FORMATS, body.fileFormat, 'FileFormat');
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
  const constraints = body.tableConstraints;
  if (constraints !== undefined && constraints !== null) {
    if (!Array.isArray(constraints)) throw badRequest('[tableConstraints must be an array]');
    constraints.forEach((tc, i) => {
      const at = `tableConstraints[${i}]`;
      if (!isObject(tc)) throw badRequest(`[${at} must be an object]`);
      for (const key of Object.keys(tc)) {
        if (!['constraintType', 'columns', 'referredColumns', 'relationshipType'].includes(key)) {
          throw badRequest(`Unrecognized field "${key}" (class TableConstraint), not marked as ignorable`);
        }
      }
      enumCheck(TABLE_CONSTRAINT_TYPES, tc.constraintType, 'ConstraintType');
      if (!Array.isArray(tc.columns) || tc.columns.length === 0 || tc.columns.some((c) => typeof c !== 'string')) {
        throw badRequest(`[${at}.columns must be a non-empty array of column names]`);
      }
      for (const c of tc.columns as string[]) {
        if (!topNames.has(c)) throw badRequest(`Invalid column name found in table constraint: ${c}`);
      }
      if (tc.constraintType === 'FOREIGN_KEY') {
        if (!Array.isArray(tc.referredColumns) || tc.referredColumns.length !== (tc.columns as string[]).length) {
          throw badRequest(`[${at}.referredColumns must list one referred column FQN per column of a FOREIGN_KEY]`);
        }
      } else if (tc.referredColumns !== undefined && tc.referredColumns !== null) {
        if (!Array.isArray(tc.referredColumns)) throw badRequest(`[${at}.referredColumns must be an array]`);
      }
      if (tc.relationshipType !== undefined) enumCheck(RELATIONSHIP_TYPES, tc.relationshipType, 'RelationshipType');
    });
  }
  const partition = body.tablePartition;
  if (partition !== undefined && partition !== null) {
    if (!isObject(partition)) throw badRequest('[tablePartition must be an object]');
    const cols = partition.columns;
    if (cols !== undefined) {
      if (!Array.isArray(cols)) throw badRequest('[tablePartition.columns must be an array]');
      cols.forEach((p, i) => {
        if (!isObject(p)) throw badRequest(`[tablePartition.columns[${i}] must be an object]`);
        const name = requireString(p, 'columnName', `tablePartition.columns[${i}].columnName`);
        if (!topNames.has(name)) throw badRequest(`Invalid column name found in table partition: ${name}`);
        if (p.intervalType !== undefined) enumCheck(PARTITION_INTERVAL_TYPES, p.intervalType, 'PartitionIntervalTypes');
      });
    }
  }
}
