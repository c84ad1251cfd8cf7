/**
 * JSON (`.json`: an array of rows, one object, a JSON Schema document, or JSON Lines saved as .json)
 * and JSON Lines. Columns are the rows' keys in first-seen order, nested objects merged across rows.
 */
import type { Column, DataType } from '@om/core';
import { JsonFloat, parseJsonDocument, parseJsonValue, type JsonValue } from '../../inference/json-parse';
import { CutReport, TypeNode, columnName, columnsFromNodes, type ColumnLimits } from '../../inference/tree';
import { typeJsonArray, typeJsonLines } from '../../inference/json-typing';
import { FileReadError } from '../../io/errors';

export interface JsonResult {
  columns: Column[];
  rows: number;
  /** 'jsonSchema' when the document was read as a JSON Schema. */
  mode: 'rows' | 'jsonSchema';
}

/** Columns from sampled rows: objects contribute their keys; other values go to a `value` column. */
export function inferJsonRows(rows: JsonValue[], limits: ColumnLimits, cuts: CutReport): Column[] {
  const nodes = new Map<string, TypeNode>();
  const nodeFor = (k: string): TypeNode => {
    let node = nodes.get(k);
    if (!node) {
      node = new TypeNode();
      nodes.set(k, node);
    }
    return node;
  };
  for (const row of rows) {
    if (row instanceof Map) for (const [k, v] of row) nodeFor(k).addJson(v);
    else if (row !== null) nodeFor('value').addJson(row);
  }
  return columnsFromNodes(nodes, limits, cuts);
}

export function inferJsonText(text: string, cut: boolean, maxRows: number, limits: ColumnLimits, cuts: CutReport): JsonResult {
  // A complete array of rows is typed as it is read; anything else goes through the value tree.
  const typed = typeJsonArray(text, cut, maxRows);
  if (typed) return { columns: columnsFromNodes(typed.nodes, limits, cuts), rows: typed.rows, mode: 'rows' };
  let doc;
  try {
    doc = parseJsonDocument(text, cut, maxRows);
  } catch (err) {
    throw new FileReadError((err as Error).message);
  }
  if (doc.kind === 'object') {
    if (doc.value.has('$schema')) {
      return { columns: jsonSchemaColumns(toPlain(doc.value) as Record<string, unknown>), rows: 0, mode: 'jsonSchema' };
    }
    return { columns: inferJsonRows([doc.value], limits, cuts), rows: 1, mode: 'rows' };
  }
  return { columns: inferJsonRows(doc.rows, limits, cuts), rows: doc.rows.length, mode: 'rows' };
}

/** JSON Lines: one value per line; blank lines skipped; a cut last line is dropped. */
export function inferJsonLines(text: string, cut: boolean, maxRows: number, limits: ColumnLimits, cuts: CutReport): JsonResult {
  // Typed as they are read; a text that does not type that way (an invalid line...) goes through the value tree.
  const typed = typeJsonLines(text, cut, maxRows);
  if (typed) return { columns: columnsFromNodes(typed.nodes, limits, cuts), rows: typed.rows, mode: 'rows' };
  const lines = text.split('\n');
  if (cut) lines.pop();
  const rows: JsonValue[] = [];
  for (let i = 0; i < lines.length && rows.length < maxRows; i++) {
    const line = i === 0 ? lines[i].replace(/^\uFEFF/, '') : lines[i];
    if (line.trim() === '') continue;
    try {
      rows.push(parseJsonValue(line));
    } catch (err) {
      throw new FileReadError(`line ${i + 1} is not valid JSON: ${(err as Error).message.replace(/^invalid JSON at line 1, /, 'at ')}`);
    }
  }
  return { columns: inferJsonRows(rows, limits, cuts), rows: rows.length, mode: 'rows' };
}

export function toPlain(value: JsonValue): unknown {
  if (value instanceof JsonFloat) return value.value;
  if (value instanceof Map) {
    const out: Record<string, unknown> = Object.create(null);
    for (const [k, v] of value) out[k] = toPlain(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  return value;
}

const JSON_SCHEMA_TYPES: Record<string, DataType> = {
  string: 'STRING', number: 'FLOAT', integer: 'INT', boolean: 'BOOLEAN', null: 'NULL', array: 'ARRAY', object: 'RECORD',
};

/**
 * A JSON Schema document as OpenMetadata reads it: one RECORD column named by the schema's title
 * (or `root`), with its description, and the properties as children. `$ref`s to local definitions
 * are followed (once per path, so recursive schemas end).
 */
export function jsonSchemaColumns(schema: Record<string, unknown>): Column[] {
  const root: Column = { ...columnName(String(schema.title ?? 'root')), dataType: 'RECORD' };
  if (typeof schema.description === 'string') root.description = schema.description;
  const children = propertiesOf(schema, schema, new Set());
  if (children.length > 0) root.children = children;
  return [root];
}

function resolve(node: Record<string, unknown>, doc: Record<string, unknown>, seen: Set<string>): Record<string, unknown> | undefined {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  if (!ref.startsWith('#') || seen.has(ref)) return undefined;
  seen.add(ref);
  let target: unknown = doc;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    target = target && typeof target === 'object' ? (target as Record<string, unknown>)[decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
  }
  return target && typeof target === 'object' ? resolve(target as Record<string, unknown>, doc, seen) : undefined;
}

function typeName(node: Record<string, unknown>): string | undefined {
  const t = node.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t.find((x) => x !== 'null') as string | undefined) ?? 'null';
  if (node.properties) return 'object';
  if (node.items) return 'array';
  return undefined;
}

function propertiesOf(node: Record<string, unknown>, doc: Record<string, unknown>, seen: Set<string>): Column[] {
  const props = node.properties;
  if (!props || typeof props !== 'object') return [];
  const out: Column[] = [];
  for (const [key, raw] of Object.entries(props as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') continue;
    const branch = new Set(seen);
    const prop = resolve(raw as Record<string, unknown>, doc, branch) ?? {};
    const t = typeName(prop);
    const col: Column = { ...columnName(key), dataType: t ? (JSON_SCHEMA_TYPES[t] ?? 'UNKNOWN') : 'UNKNOWN' };
    if (typeof prop.title === 'string') col.displayName = prop.title;
    if (typeof prop.description === 'string') col.description = prop.description;
    if (t === 'object') {
      const kids = propertiesOf(prop, doc, branch);
      if (kids.length) col.children = kids;
    } else if (t === 'array' && prop.items && typeof prop.items === 'object' && !Array.isArray(prop.items)) {
      const items = resolve(prop.items as Record<string, unknown>, doc, branch) ?? {};
      const it = typeName(items);
      col.arrayDataType = it ? (JSON_SCHEMA_TYPES[it] ?? 'UNKNOWN') : 'UNKNOWN';
      if (it === 'object') {
        const kids = propertiesOf(items, doc, branch);
        if (kids.length) col.children = kids;
      }
    }
    out.push(col);
  }
  return out;
}
