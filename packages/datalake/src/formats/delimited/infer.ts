/** Delimited text (CSV, TSV): records from `readers/delimited.ts`, then column inference. */
import type { Column } from '@om/core';
import { CutReport, TypeNode, columnsFromNodes, type ColumnLimits } from '../../inference/tree';
import { NULL_TOKEN_MAX, isNullToken, textCellType } from '../../inference/scalars';
import { DelimitedStreamParser, type RecordSink } from './parser';

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
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const parser = new DelimitedStreamParser(delimiter);
  const sample = new SampleTyper(delimiter, maxRows + 1);
  if (cut) parser.prefixTo(body, sample);
  else {
    parser.pushTo(body, sample);
    parser.endTo(sample);
  }
  if (!sample.nodes) return { columns: [], rows: 0, ragged: 0 };
  return { columns: columnsFromNodes(sample.nodes, limits, cuts), rows: sample.records - 1, ragged: sample.ragged };
}

/** True for printable ASCII other than space: never trimmed, so a cell that starts and ends with it is kept whole. */
function visible(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/**
 * Types the cells of the first `maxRecords` records (the header, then rows) as they are parsed. A
 * line without quotes is walked in place, not split: a cell is cut out of it only when its column
 * still needs its type (a column that reached STRING needs only to know the cell is not missing).
 */
class SampleTyper implements RecordSink {
  nodes: Map<string, TypeNode> | undefined;
  records = 0;
  ragged = 0;
  private ordered: TypeNode[] = [];
  private width = 0;

  constructor(
    private readonly delimiter: string,
    private readonly maxRecords: number,
  ) {}

  line(line: string): void {
    if (this.records >= this.maxRecords) return;
    if (this.records++ === 0) return this.header(line.split(this.delimiter));
    const ordered = this.ordered;
    const d = this.delimiter;
    let start = 0;
    let i = 0;
    for (;;) {
      const end = line.indexOf(d, start);
      const stop = end === -1 ? line.length : end;
      if (i < ordered.length) this.cell(ordered[i], line, start, stop);
      i++;
      if (end === -1) break;
      start = end + 1;
    }
    if (i !== this.width) this.ragged++;
  }

  fields(fields: string[]): void {
    if (this.records >= this.maxRecords) return;
    if (this.records++ === 0) return this.header(fields);
    if (fields.length !== this.width) this.ragged++;
    const ordered = this.ordered;
    for (let i = 0; i < ordered.length && i < fields.length; i++) this.cell(ordered[i], fields[i], 0, fields[i].length);
  }

  private header(fields: string[]): void {
    const names = headerNames(fields);
    this.nodes = new Map(names.map((n) => [n, new TypeNode()]));
    this.ordered = names.map((n) => this.nodes!.get(n)!);
    this.width = names.length;
  }

  /** The cell `text[start, stop)` of the column of `node`. */
  private cell(node: TypeNode, text: string, start: number, stop: number): void {
    const long = stop - start > NULL_TOKEN_MAX && visible(text.charCodeAt(start)) && visible(text.charCodeAt(stop - 1));
    if (node.scalar === 'STRING' && long) {
      node.nonNull++;
      return;
    }
    const v = start === 0 && stop === text.length ? text : text.slice(start, stop);
    if (!long && isNullToken(v)) return;
    // STRING is the widest type: a column that reached it keeps it, whatever the cell holds.
    if (node.scalar === 'STRING') node.nonNull++;
    else node.addScalar(textCellType(v));
  }
}
