/** Delimited text (CSV, TSV): records from `readers/delimited.ts`, then column inference. */
import type { Column } from '@om/core';
import { CutReport, TypeNode, columnsFromNodes, type ColumnLimits } from '../../inference/tree';
import { isNullToken, textCellType } from '../../inference/scalars';
import { DelimitedStreamParser } from './parser';

/**
 * Splits text into records. With `cut` (the text is a prefix of the file) the last record is
 * dropped unless a line break ends it outside quotes.
 */
export function parseDelimited(text: string, delimiter: string, cut: boolean, maxRecords = Infinity): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parser = new DelimitedStreamParser(delimiter);
  const records: string[][] = [];
  if (cut) parser.prefix(body, records);
  else {
    parser.push(body, records);
    parser.end(records);
  }
  return records.length > maxRecords ? records.slice(0, maxRecords) : records;
}

/** Column names from a header row: blanks become `Unnamed: i`, repeats get `.1`, `.2` (as pandas). */
export function headerNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, i) => {
    let name = raw.trim() === '' ? `Unnamed: ${i}` : raw;
    const count = seen.get(name);
    if (count !== undefined) {
      let k = count + 1;
      while (seen.has(`${name}.${k}`)) k++;
      seen.set(name, k);
      name = `${name}.${k}`;
    }
    seen.set(name, seen.get(name) ?? 0);
    return name;
  });
}

export interface DelimitedResult {
  columns: Column[];
  rows: number;
  /** Data rows whose field count differs from the header's. */
  ragged: number;
}

/** Infers columns from a sampled delimited text. An empty text gives no columns. */
export function inferDelimited(text: string, delimiter: string, cut: boolean, maxRows: number, limits: ColumnLimits, cuts: CutReport): DelimitedResult {
  const records = parseDelimited(text, delimiter, cut, maxRows + 1);
  if (records.length === 0) return { columns: [], rows: 0, ragged: 0 };
  const names = headerNames(records[0]);
  const nodes = new Map<string, TypeNode>(names.map((n) => [n, new TypeNode()]));
  const ordered = names.map((n) => nodes.get(n)!);
  let ragged = 0;
  for (let r = 1; r < records.length; r++) {
    const row = records[r];
    if (row.length !== names.length) ragged++;
    for (let i = 0; i < ordered.length && i < row.length; i++) {
      const v = row[i];
      if (isNullToken(v)) continue;
      ordered[i].addScalar(textCellType(v));
    }
  }
  return { columns: columnsFromNodes(nodes, limits, cuts), rows: records.length - 1, ragged };
}
