/**
 * Column inference from DynamoDB items in their wire form (`{S: "x"}`, `{M: {...}}`...).
 *
 * Items are folded one by one into a `Shape` per attribute path (how often each wire type was
 * seen, merged map fields, merged list elements), then each shape is turned into a Column. The
 * widening rule for attributes whose type differs between items is in `resolveShape` and the README.
 */
import type { AttributeDefinition, AttributeValue, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import type { Column, DataType } from '@om/core';

export type WireType = 'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS';
const WIRE_TYPES: WireType[] = ['S', 'N', 'B', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'BS'];
const SCALARS = new Set<WireType>(['S', 'N', 'B', 'BOOL']);
const COLLECTIONS = new Set<WireType>(['L', 'SS', 'NS', 'BS']);

const SCALAR_TYPES: Record<'S' | 'N' | 'B' | 'BOOL', { dataType: DataType; display: string }> = {
  S: { dataType: 'STRING', display: 'string' },
  N: { dataType: 'NUMBER', display: 'number' },
  B: { dataType: 'BYTES', display: 'binary' },
  BOOL: { dataType: 'BOOLEAN', display: 'boolean' },
};
const SET_ELEMENT: Record<'SS' | 'NS' | 'BS', 'S' | 'N' | 'B'> = { SS: 'S', NS: 'N', BS: 'B' };
/** Key attribute types from `AttributeDefinitions`. */
const KEY_TYPES: Record<string, { dataType: DataType; display: string }> = {
  S: SCALAR_TYPES.S,
  N: SCALAR_TYPES.N,
  B: SCALAR_TYPES.B,
};

export function wireTypeOf(value: AttributeValue): WireType | undefined {
  const v = value as unknown as Record<string, unknown>;
  for (const t of WIRE_TYPES) if (v[t] !== undefined) return t;
  return undefined;
}

/** What was seen at one attribute path. */
export class Shape {
  /** Occurrences (items, map entries or list elements) holding a value here, NULL included. */
  count = 0;
  readonly types = new Map<WireType, number>();
  /** Merged fields of every map seen here. */
  fields: Fields | undefined;
  /** Merged elements of every list and set seen here. */
  element: Shape | undefined;

  constructor(readonly order: number) {}

  observe(value: AttributeValue): void {
    const t = wireTypeOf(value);
    if (!t) return;
    this.count++;
    this.types.set(t, (this.types.get(t) ?? 0) + 1);
    switch (t) {
      case 'M':
        (this.fields ??= new Fields()).observe(value.M!);
        break;
      case 'L':
        for (const item of value.L!) (this.element ??= new Shape(0)).observe(item);
        break;
      case 'SS':
      case 'NS':
      case 'BS': {
        // A set counts once (not once per member) toward its element type.
        const members = (value as unknown as Record<string, unknown[]>)[t];
        if (members.length > 0) (this.element ??= new Shape(0)).observeType(SET_ELEMENT[t]);
        break;
      }
      default:
        break;
    }
  }

  observeType(t: WireType): void {
    this.count++;
    this.types.set(t, (this.types.get(t) ?? 0) + 1);
  }
}

/** Attribute name → shape, in first-seen order. */
export class Fields {
  readonly shapes = new Map<string, Shape>();

  observe(item: Record<string, AttributeValue>): void {
    for (const [name, value] of Object.entries(item)) {
      let shape = this.shapes.get(name);
      if (!shape) {
        shape = new Shape(this.shapes.size);
        this.shapes.set(name, shape);
      }
      shape.observe(value);
    }
  }
}

export interface InferenceOptions {
  /** Most top-level columns; key attributes are always kept. */
  maxColumns: number;
  /** Deepest level of columns kept (1 = top level only). */
  maxDepth?: number;
  /** Most children kept per column. */
  maxChildren?: number;
}

export interface InferenceResult {
  columns: Column[];
  /** Top-level attributes left out by `maxColumns`, most frequent first. */
  droppedColumns: string[];
  /** Nested paths left out by `maxDepth`/`maxChildren` (`a.b.c`). */
  droppedChildren: string[];
  /** Distinct top-level attributes seen in the sample or defined by the table. */
  attributeCount: number;
}

export interface KeyInfo {
  keySchema?: KeySchemaElement[];
  attributeDefinitions?: AttributeDefinition[];
}

export interface Ctx {
  options: InferenceOptions;
  droppedChildren: string[];
}

/**
 * Infers the columns of a table from sampled items and (when DescribeTable worked) the key
 * schema and attribute definitions. Column order: table key (HASH, RANGE), then attributes in
 * first-seen order, then defined attributes (index keys) that the sample did not hold.
 */
export function inferColumns(items: Record<string, AttributeValue>[], keys: KeyInfo, options: InferenceOptions): InferenceResult {
  const fields = new Fields();
  for (const item of items) fields.observe(item);
  const ctx: Ctx = { options, droppedChildren: [] };

  const keyNames = orderedKeyNames(keys.keySchema);
  const definitions = new Map((keys.attributeDefinitions ?? []).map((d) => [d.AttributeName ?? '', d.AttributeType ?? '']));

  // Names in output order, before capping.
  const names: string[] = [...keyNames];
  for (const name of fields.shapes.keys()) if (!names.includes(name)) names.push(name);
  for (const name of definitions.keys()) if (name && !names.includes(name)) names.push(name);

  const { kept, dropped } = capColumns(names, new Set(keyNames), fields, options.maxColumns);

  const columns = kept.map((name, i) => {
    const shape = fields.shapes.get(name);
    const defined = definitions.get(name);
    let column: Column;
    if (defined && KEY_TYPES[defined]) {
      // Attribute definitions are authoritative (S → STRING, N → NUMBER, B → BYTES).
      column = { name, dataType: KEY_TYPES[defined].dataType, dataTypeDisplay: KEY_TYPES[defined].display };
    } else if (shape) {
      column = resolveShape(name, shape, 1, ctx, name);
    } else {
      column = { name, dataType: 'UNKNOWN', dataTypeDisplay: defined || 'unknown' };
    }
    column.ordinalPosition = i + 1;
    return column;
  });
  return { columns, droppedColumns: dropped, droppedChildren: ctx.droppedChildren, attributeCount: names.length };
}

/** HASH first, then RANGE. */
export function orderedKeyNames(keySchema: KeySchemaElement[] | undefined): string[] {
  const schema = keySchema ?? [];
  const hash = schema.filter((k) => k.KeyType === 'HASH').map((k) => k.AttributeName ?? '');
  const range = schema.filter((k) => k.KeyType === 'RANGE').map((k) => k.AttributeName ?? '');
  return [...hash, ...range].filter(Boolean);
}

function capColumns(names: string[], keys: Set<string>, fields: Fields, max: number): { kept: string[]; dropped: string[] } {
  if (names.length <= max) return { kept: names, dropped: [] };
  const ranked = names
    .filter((n) => !keys.has(n))
    .map((n, position) => ({ n, position, count: fields.shapes.get(n)?.count ?? 0 }))
    .sort((a, b) => b.count - a.count || a.position - b.position);
  const room = Math.max(0, max - keys.size);
  const keep = new Set([...keys, ...ranked.slice(0, room).map((r) => r.n)]);
  return { kept: names.filter((n) => keep.has(n)), dropped: ranked.slice(room).map((r) => r.n) };
}

/** Keeps the most frequent fields (ties: first seen) in first-seen order. */
function capChildren(fields: Fields, max: number | undefined, path: string, ctx: Ctx): [string, Shape][] {
  const all = [...fields.shapes.entries()];
  if (max === undefined || all.length <= max) return all;
  const ranked = [...all].sort((a, b) => b[1].count - a[1].count || a[1].order - b[1].order);
  const keep = new Set(ranked.slice(0, max).map(([n]) => n));
  for (const [n] of ranked.slice(max)) ctx.droppedChildren.push(`${path}.${n}`);
  return all.filter(([n]) => keep.has(n));
}

/**
 * The widening rule, applied to the wire types seen at one path (NULL only marks the attribute
 * nullable and is ignored when anything else was seen):
 *
 * 1. one type → its column type;
 * 2. only scalars (S, N, B, BOOL) → STRING (every scalar has a text form);
 * 3. only lists and sets (L, SS, NS, BS) → ARRAY, with the element types widened by the same rule;
 * 4. anything else (a map mixed with other types, a collection mixed with scalars) → JSON, keeping
 *    the children of the maps that were seen.
 */
export function resolveShape(name: string, shape: Shape, depth: number, ctx: Ctx, path: string): Column {
  const types = [...shape.types.keys()].filter((t) => t !== 'NULL');
  if (types.length === 0) return { name, dataType: 'NULL', dataTypeDisplay: 'null' };
  const widened = types.length > 1 ? ` (widened from ${[...types].sort().join('|')})` : '';

  if (types.length === 1 && SCALARS.has(types[0])) {
    const s = SCALAR_TYPES[types[0] as keyof typeof SCALAR_TYPES];
    return { name, dataType: s.dataType, dataTypeDisplay: s.display };
  }
  if (types.every((t) => SCALARS.has(t))) return { name, dataType: 'STRING', dataTypeDisplay: `string${widened}` };

  if (types.length === 1 && types[0] === 'M') {
    const column: Column = { name, dataType: 'JSON', dataTypeDisplay: 'map' };
    const children = childColumns(shape, depth, ctx, path);
    if (children) column.children = children;
    return column;
  }

  if (types.every((t) => COLLECTIONS.has(t))) {
    const setOnly = types.length === 1 && types[0] !== 'L';
    const column: Column = { name, dataType: 'ARRAY' };
    if (!shape.element) {
      column.arrayDataType = 'UNKNOWN';
      column.dataTypeDisplay = setOnly ? 'set<unknown>' : 'list<unknown>';
      return column;
    }
    const element = resolveShape(name, shape.element, depth, ctx, path);
    const elementTypes = [...shape.element.types.keys()].filter((t) => t !== 'NULL');
    const mapsOnly = elementTypes.length === 1 && elementTypes[0] === 'M';
    column.arrayDataType = mapsOnly ? 'STRUCT' : element.dataType;
    const elementDisplay = mapsOnly ? 'struct' : element.dataTypeDisplay ?? element.dataType.toLowerCase();
    column.dataTypeDisplay = `${setOnly ? 'set' : 'list'}<${elementDisplay}>${widened}`;
    if (element.children) column.children = element.children;
    return column;
  }

  const column: Column = { name, dataType: 'JSON', dataTypeDisplay: `json${widened}` };
  const children = childColumns(shape, depth, ctx, path);
  if (children) column.children = children;
  return column;
}

function childColumns(shape: Shape, depth: number, ctx: Ctx, path: string): Column[] | undefined {
  if (!shape.fields || shape.fields.shapes.size === 0) return undefined;
  if (ctx.options.maxDepth !== undefined && depth >= ctx.options.maxDepth) {
    for (const n of shape.fields.shapes.keys()) ctx.droppedChildren.push(`${path}.${n}`);
    return undefined;
  }
  return capChildren(shape.fields, ctx.options.maxChildren, path, ctx).map(([n, s]) =>
    resolveShape(n, s, depth + 1, ctx, `${path}.${n}`),
  );
}
