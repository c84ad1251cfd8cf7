/**
 * A Hudi table read from its timeline (`.hoodie/`): the schema of the newest completed commit
 * (`extraMetadata.schema`, an Avro schema, in the JSON commit files of the 0.x timeline), else the
 * table's create schema in `hoodie.properties`; partition fields from `hoodie.properties`. The
 * `_hoodie_*` meta columns Hudi adds to every record are kept, as Hudi's own readers show them.
 */
import type { TablePartition } from '@om/core';
import { avroSchemaColumns } from '../formats/avro/schema';
import { objectsUnder, readText, TableFormatError, type LakehouseTable, type TableFormatIO } from './types';

/** Completed instants of the 0.x timeline (`<instant>.commit`, `.deltacommit`, `.replacecommit`). */
const COMPLETED = /^(\d+)\.(commit|deltacommit|replacecommit)$/;

/** `hoodie.properties`: Java properties (`key=value`, `#` comments, `\:` escapes). */
function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const i = line.search(/(?<!\\)[=:]/);
    if (i < 0) continue;
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim().replace(/\\(.)/g, '$1');
  }
  return out;
}

export async function readHudiTable(io: TableFormatIO, root: string): Promise<LakehouseTable> {
  const folder = root === '' ? '.hoodie' : `${root}/.hoodie`;
  let propertiesFile: { key: string; size: number } | undefined;
  const instants: { instant: string; key: string; size: number }[] = [];
  for await (const o of objectsUnder(io, folder)) {
    const name = o.key.slice(folder.length + 1);
    if (name === 'hoodie.properties') propertiesFile = { key: o.key, size: o.size };
    const m = COMPLETED.exec(name);
    if (m) instants.push({ instant: m[1], key: o.key, size: o.size });
  }
  if (!propertiesFile) throw new TableFormatError('hudi', root, '.hoodie/hoodie.properties is missing');
  const props = parseProperties(await readText(io, propertiesFile.key, propertiesFile.size));

  let schemaText: string | undefined;
  let schemaFrom = 'hoodie.properties';
  instants.sort((a, b) => (a.instant < b.instant ? 1 : a.instant > b.instant ? -1 : 0));
  for (const i of instants) {
    const text = await readText(io, i.key, i.size);
    let commit: { extraMetadata?: Record<string, string> };
    try {
      commit = JSON.parse(text) as typeof commit;
    } catch {
      continue; // an Avro-serialised (1.x) or empty instant: try the next older one
    }
    const schema = commit.extraMetadata?.schema;
    if (schema) {
      schemaText = schema;
      schemaFrom = `commit ${i.instant}`;
      break;
    }
  }
  schemaText ??= props['hoodie.table.create.schema'];
  if (!schemaText) throw new TableFormatError('hudi', root, 'no completed commit carries a schema and hoodie.properties has no hoodie.table.create.schema');
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    throw new TableFormatError('hudi', root, `the schema of ${schemaFrom} is not an Avro schema (JSON)`);
  }
  const columns = avroSchemaColumns(schema);
  const names = new Set(columns.map((c) => c.name));
  // Partition fields that are not record fields (a path derived by a key generator) cannot be columns.
  const partitionFields = (props['hoodie.table.partition.fields'] ?? '').split(',').map((f) => f.trim()).filter((f) => names.has(f));
  const partition: TablePartition | undefined =
    partitionFields.length > 0 ? { columns: partitionFields.map((columnName) => ({ columnName, intervalType: 'COLUMN-VALUE' })) } : undefined;
  const properties: Record<string, string> = {};
  for (const k of ['hoodie.table.name', 'hoodie.table.type', 'hoodie.table.version', 'hoodie.table.recordkey.fields', 'hoodie.table.precombine.field']) {
    if (props[k] !== undefined) properties[k] = props[k];
  }
  if (instants[0]) properties['hudi.latest-instant'] = instants[0].instant;
  return { format: 'hudi', columns, ...(partition ? { partition } : {}), tableType: 'External', properties };
}
