/**
 * `inferDelimited` types cells as the parser hands them over (lines walked in place); the result
 * must be the one of the plain rule it replaced, kept here as the oracle: parse every record
 * (`parseDelimited`), then type every cell of the first rows.
 */
import type { Column } from '@om/core';
import { isNullToken, textCellType } from '../../inference/scalars';
import { CutReport, TypeNode, columnsFromNodes } from '../../inference/tree';
import { headerNames, inferDelimited, parseDelimited } from './infer';
import { seededRandom as seeded } from '../sampling';

function oracle(text: string, delimiter: string, cut: boolean, maxRows: number): { columns: Column[]; rows: number; ragged: number } {
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
      if (isNullToken(row[i])) continue;
      ordered[i].addScalar(textCellType(row[i]));
    }
  }
  return { columns: columnsFromNodes(nodes, {}, new CutReport()), rows: records.length - 1, ragged };
}

const CELLS = ['1', '-2', '3.5', '1e3', 'true', 'False', 'x', 'hello world', '', ' ', 'NA', 'null', ' None ', 'N/A', '<NA>', '2024-01-02', '2024-01-02 10:00:00',
  '2024-01-02T10:00:00Z', '10:00:00', '007', '"quoted, with comma"', '"multi\nline"', '" 12 "', '"NA"', '5" screen', '\t7\t', 'nan', '99999999999999999999', '\u00a0NA'];

/** A random delimited text: a header, rows of 0..width+1 cells drawn mostly from one kind per column, blank lines, CRLF now and then. */
function randomText(random: () => number, d: string): string {
  const width = 1 + Math.floor(random() * 5);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const kinds = Array.from({ length: width }, () => pick(CELLS));
  const header = Array.from({ length: width }, (_, i) => pick([`c${i}`, '', 'dup', 'a::b', `"h${i}"`])).join(d);
  const lines = [header];
  const rows = Math.floor(random() * 30);
  for (let r = 0; r < rows; r++) {
    if (random() < 0.05) {
      lines.push('');
      continue;
    }
    const n = random() < 0.1 ? Math.floor(random() * (width + 2)) : width;
    lines.push(Array.from({ length: n }, (_, i) => (random() < 0.8 ? kinds[i % width] : pick(CELLS))).join(d));
  }
  return lines.join(random() < 0.2 ? '\r\n' : '\n') + (random() < 0.7 ? '\n' : '');
}

describe('inferDelimited types cells as the parse-then-type rule does', () => {
  it('on hand-picked texts', () => {
    const texts = ['', 'a,b\n', 'a,b\n1,2\n', '\uFEFFa,b\n1,x\n', 'a,b\n1\n1,2,3\n', 'a,a,,b\nNA,1,2,x\n,2,3,y\n', 'a\n"x\ny"\n3\n', 'a,b\r\n1,"2"\r\n'];
    for (const text of texts) {
      for (const cut of [false, true]) {
        for (const maxRows of [0, 1, 1000]) expect({ text, cut, maxRows, ...inferDelimited(text, ',', cut, maxRows, {}, new CutReport()) }).toEqual({ text, cut, maxRows, ...oracle(text, ',', cut, maxRows) });
      }
    }
  });

  it('on 5,000 random texts (comma and tab, whole and cut, row caps)', () => {
    const random = seeded(3);
    const mismatches: string[] = [];
    for (let i = 0; i < 5000 && mismatches.length < 5; i++) {
      const d = random() < 0.5 ? ',' : '\t';
      let text = randomText(random, d);
      const cut = random() < 0.3;
      if (cut) text = text.slice(0, Math.floor(random() * text.length));
      const maxRows = random() < 0.3 ? Math.floor(random() * 10) : 1000;
      const got = inferDelimited(text, d, cut, maxRows, {}, new CutReport());
      if (JSON.stringify(got) !== JSON.stringify(oracle(text, d, cut, maxRows))) mismatches.push(JSON.stringify({ text, d, cut, maxRows }));
    }
    expect(mismatches).toEqual([]);
  });
});
