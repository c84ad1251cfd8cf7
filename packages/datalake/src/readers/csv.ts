/**
 * Delimited text (CSV, TSV). The parser is relaxed the way csv-parse's `{bom, relax_column_count,
 * relax_quotes, skip_empty_lines}` is (the correctness reference in formats.md, used as the oracle
 * in our tests): quoted fields with the delimiter, `""` escapes, LF/CRLF/CR inside quotes, ragged
 * rows, blank lines skipped, a bare `"` inside an unquoted field kept as text.
 */
import type { Column } from '@om/core';
import { CutReport, TypeNode, columnsFromNodes, type ColumnLimits } from '../inference/tree';
import { isNullToken, textCellType } from '../inference/scalars';

/**
 * Splits text into records. With `cut` (the text is a prefix of the file) the last record is
 * dropped unless a line break ends it outside quotes.
 */
export function parseDelimited(text: string, delimiter: string, cut: boolean, maxRecords = Infinity): string[][] {
  const records: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  const endRow = (): void => {
    row.push(field);
    if (!(row.length === 1 && row[0] === '' && !quoted)) records.push(row);
    row = [];
    field = '';
    quoted = false;
  };
  while (i < n && records.length < maxRecords) {
    const c = text.charCodeAt(i);
    if (inQuotes) {
      if (c === 0x22) {
        if (text.charCodeAt(i + 1) === 0x22) {
          field += '"';
          i += 2;
          continue;
        }
        inQuotes = false;
        i++;
        continue;
      }
      // Copy the run up to the next quote at once.
      const next = text.indexOf('"', i);
      const stop = next === -1 ? n : next;
      field += text.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === d) {
      row.push(field);
      field = '';
      quoted = false;
      i++;
    } else if (c === 0x0a || c === 0x0d) {
      if (c === 0x0d && i + 1 >= n && cut) break; // a CR at the cut may be half of CRLF
      endRow();
      i += c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
    } else if (c === 0x22 && field === '' && !quoted) {
      inQuotes = true;
      quoted = true;
      i++;
    } else {
      let j = i + 1;
      while (j < n) {
        const cj = text.charCodeAt(j);
        if (cj === d || cj === 0x0a || cj === 0x0d || cj === 0x22) break;
        j++;
      }
      field += text.slice(i, Math.max(j, i + 1));
      i = Math.max(j, i + 1);
      // A bare quote inside an unquoted field is text.
      if (j < n && text.charCodeAt(j) === 0x22 && field !== '') {
        field += '"';
        i = j + 1;
      }
    }
  }
  if (records.length >= maxRecords) return records;
  if (cut) return records; // the trailing record (if any) may be incomplete
  if (field !== '' || row.length > 0 || quoted) endRow();
  return records;
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
