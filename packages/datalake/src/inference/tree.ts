/**
 * Accumulates the shape of sampled values per column (scalars, objects, arrays, merged across rows
 * in first-seen key order) and turns it into OpenMetadata columns.
 */
import type { Column, DataType } from '@om/core';
import { JsonFloat, type JsonValue } from './json-parse';
import { joinScalar, jsonStringType, type ScalarType } from './scalars';

/** Keys kept per object node while sampling; beyond it the node keeps counting but adds no keys. */
export const HARD_CHILD_LIMIT = 10_000;

export class TypeNode {
  scalar: ScalarType | undefined;
  /** Set once any object was seen; keys in first-seen order. */
  children: Map<string, TypeNode> | undefined;
  /** Set once any array was seen: the merged element shape. */
  items: TypeNode | undefined;
  nonNull = 0;
  /** Keys dropped by HARD_CHILD_LIMIT. */
  overflow = 0;
  /** The last object whose key reached this node, for json-typing.ts to see a repeated key. */
  visit = 0;

  addScalar(type: ScalarType): void {
    this.nonNull++;
    this.scalar = joinScalar(this.scalar, type);
  }

  child(key: string): TypeNode | undefined {
    this.children ??= new Map();
    let node = this.children.get(key);
    if (!node) {
      if (this.children.size >= HARD_CHILD_LIMIT) {
        this.overflow++;
        return undefined;
      }
      node = new TypeNode();
      this.children.set(key, node);
    }
    return node;
  }

  /** Adds one JSON value (from our parser: objects are Maps, written floats are JsonFloat). */
  addJson(value: JsonValue): void {
    if (value === null || value === undefined) return;
    if (typeof value === 'boolean') return this.addScalar('BOOLEAN');
    if (typeof value === 'number') return this.addScalar('INT');
    if (value instanceof JsonFloat) return this.addScalar('FLOAT');
    if (typeof value === 'string') return this.addScalar(jsonStringType(value));
    if (Array.isArray(value)) {
      this.nonNull++;
      this.items ??= new TypeNode();
      for (const item of value) this.items.addJson(item);
      return;
    }
    this.nonNull++;
    this.children ??= new Map();
    for (const [k, v] of value) this.child(k)?.addJson(v);
  }

  /** Adds a plain JS value (JSON.parse output, Avro/Parquet samples). */
  addPlain(value: unknown): void {
    if (value === null || value === undefined) return;
    if (typeof value === 'boolean') return this.addScalar('BOOLEAN');
    if (typeof value === 'number') return this.addScalar(Number.isInteger(value) ? 'INT' : 'FLOAT');
    if (typeof value === 'bigint') return this.addScalar('INT');
    if (typeof value === 'string') return this.addScalar(jsonStringType(value));
    if (value instanceof Date) return this.addScalar('TIMESTAMP');
    if (Array.isArray(value)) {
      this.nonNull++;
      this.items ??= new TypeNode();
      for (const item of value) this.items.addPlain(item);
      return;
    }
    if (typeof value === 'object') {
      this.nonNull++;
      this.children ??= new Map();
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) this.child(k)?.addPlain(v);
    }
  }
}

export interface ColumnLimits {
  maxDepth?: number;
  maxChildren?: number;
}

/** Collects the columns that the limits cut, for one warning per file. */
export class CutReport {
  readonly paths: string[] = [];
  count = 0;
  add(path: string): void {
    this.count++;
    if (this.paths.length < 20) this.paths.push(path);
  }
  message(): string | undefined {
    if (this.count === 0) return undefined;
    const more = this.count > this.paths.length ? ` and ${this.count - this.paths.length} more` : '';
    return `nested columns cut by maxSchemaInferenceDepth/maxChildrenPerColumn: ${this.paths.join(', ')}${more}`;
  }
}

export const MAX_NAME_LENGTH = 256;
/** Characters of the sequences `columnName` replaces (`::`, `>`, `"`). */
const RESERVED_CHARS = /[:>"]/;

/**
 * A column name as OpenMetadata accepts it: reserved sequences replaced (`::`, `>`, `"`), and names
 * over 256 characters truncated, the full name kept as displayName.
 */
export function columnName(raw: string): { name: string; displayName?: string } {
  if (raw.length <= MAX_NAME_LENGTH && !RESERVED_CHARS.test(raw)) return { name: raw };
  let name = raw.replace(/::/g, '__reserved__colon__').replace(/>/g, '__reserved__arrow__').replace(/"/g, '__reserved__quote__');
  if (name.length > MAX_NAME_LENGTH) name = name.slice(0, MAX_NAME_LENGTH);
  return name === raw ? { name } : { name, displayName: raw };
}

/** A column with its name (and displayName) and type, keys in that order, built as one literal (no spread). */
function namedColumn(raw: string, dataType: DataType): Column {
  const { name, displayName } = columnName(raw);
  return displayName === undefined ? { name, dataType } : { name, displayName, dataType };
}

/** A type read from a file's own schema (Parquet, Avro), before it becomes a column. */
export interface MappedType {
  dataType: DataType;
  display: string;
  arrayDataType?: DataType;
  children?: Column[];
  precision?: number;
  scale?: number;
  dataLength?: number;
}

/** The column `name` of a mapped type (no empty children list). */
export function mappedColumn(name: string, m: MappedType): Column {
  const col = namedColumn(name, m.dataType);
  col.dataTypeDisplay = m.display;
  if (m.arrayDataType) col.arrayDataType = m.arrayDataType;
  if (m.precision !== undefined) col.precision = m.precision;
  if (m.scale !== undefined) col.scale = m.scale;
  if (m.dataLength !== undefined) col.dataLength = m.dataLength;
  if (m.children && m.children.length > 0) col.children = m.children;
  return col;
}

/** Builds a column (with children) from a node. `depth` is 1 for top-level columns. */
export function nodeToColumn(rawName: string, node: TypeNode, limits: ColumnLimits, cuts: CutReport, depth = 1, path = rawName): Column {
  const col = namedColumn(rawName, 'STRING');
  const kinds = (node.scalar ? 1 : 0) + (node.children ? 1 : 0) + (node.items ? 1 : 0);
  if (kinds === 0) {
    // Never a non-null value in the sample: STRING holds anything.
    col.dataType = 'STRING';
  } else if (kinds === 1 && node.scalar) {
    col.dataType = node.scalar;
  } else if (kinds === 1 && node.items) {
    col.dataType = 'ARRAY';
    const item = node.items;
    const itemKinds = (item.scalar ? 1 : 0) + (item.children ? 1 : 0) + (item.items ? 1 : 0);
    if (itemKinds === 0) col.arrayDataType = 'UNKNOWN';
    else if (itemKinds > 1) col.arrayDataType = 'JSON';
    else if (item.scalar) col.arrayDataType = item.scalar;
    else if (item.items) col.arrayDataType = 'ARRAY';
    else {
      col.arrayDataType = 'STRUCT';
      const children = childColumns(item, limits, cuts, depth, path);
      if (children) col.children = children;
    }
    col.dataTypeDisplay = `ARRAY<${col.arrayDataType}>`;
    return col;
  } else {
    // An object, or a mix of objects, arrays and scalars: JSON, with the object keys as children.
    col.dataType = 'JSON';
    if (node.children) {
      const children = childColumns(node, limits, cuts, depth, path);
      if (children) col.children = children;
    }
  }
  col.dataTypeDisplay = col.dataType;
  return col;
}

function childColumns(node: TypeNode, limits: ColumnLimits, cuts: CutReport, depth: number, path: string): Column[] | undefined {
  const entries = [...(node.children ?? new Map<string, TypeNode>()).entries()];
  if (entries.length === 0) return undefined;
  if (limits.maxDepth !== undefined && depth >= limits.maxDepth) {
    cuts.add(path);
    return undefined;
  }
  let kept = entries;
  if (limits.maxChildren !== undefined && entries.length > limits.maxChildren) {
    kept = entries.slice(0, limits.maxChildren);
    cuts.add(`${path} (${entries.length - limits.maxChildren} of ${entries.length} children)`);
  }
  if (node.overflow > 0) cuts.add(`${path} (more than ${HARD_CHILD_LIMIT} keys)`);
  return kept.map(([k, child]) => nodeToColumn(k, child, limits, cuts, depth + 1, `${path}.${k}`));
}

/**
 * Applies the depth/children caps to an already built column tree (Parquet, Avro, JSON Schema).
 */
export function capColumns(columns: Column[], limits: ColumnLimits, cuts: CutReport, depth = 1, parent = ''): Column[] {
  if (limits.maxDepth === undefined && limits.maxChildren === undefined) return columns;
  return columns.map((c) => {
    const path = parent ? `${parent}.${c.displayName ?? c.name}` : (c.displayName ?? c.name);
    if (!c.children || c.children.length === 0) return c;
    const out: Column = { ...c };
    if (limits.maxDepth !== undefined && depth >= limits.maxDepth) {
      delete out.children;
      cuts.add(path);
      return out;
    }
    let kids = c.children;
    if (limits.maxChildren !== undefined && kids.length > limits.maxChildren) {
      cuts.add(`${path} (${kids.length - limits.maxChildren} of ${kids.length} children)`);
      kids = kids.slice(0, limits.maxChildren);
    }
    out.children = capColumns(kids, limits, cuts, depth + 1, path);
    return out;
  });
}

/** Top-level columns from the per-column nodes of a table sample. */
export function columnsFromNodes(nodes: Map<string, TypeNode>, limits: ColumnLimits, cuts: CutReport): Column[] {
  const cols: Column[] = [];
  for (const [name, node] of nodes) cols.push(nodeToColumn(name, node, limits, cuts));
  return cols;
}
