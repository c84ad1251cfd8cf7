/** The CSV part decoder's byte-range cells (`encodedChunks`) hold the strings `columnChunks` gives. */
import type { ColumnChunk, TextCellChunk } from '@om/core';
import { CELL_BATCH_ROWS, openDelimitedDecoder } from './part-decoder';

/** Per column, row by row: the cell's text (null for a missing cell) as each path gives it. */
function table(chunks: Iterable<ColumnChunk | TextCellChunk>): { columns: Record<string, unknown[]>; byteChunks: number } {
  const columns: Record<string, unknown[]> = {};
  let byteChunks = 0;
  for (const chunk of chunks) {
    const out = (columns[chunk.column] ??= []);
    if ('cells' in chunk) {
      byteChunks++;
      const { bytes, starts, ends } = chunk.cells;
      for (let i = 0; i < chunk.length; i++) out[chunk.rowStart + i] = starts[i] < 0 ? null : Buffer.from(bytes.subarray(starts[i], ends[i])).toString('utf8');
    } else {
      for (let i = 0; i < chunk.length; i++) out[chunk.rowStart + i] = chunk.values === undefined ? null : (chunk.values[i] ?? null);
    }
  }
  return { columns, byteChunks };
}

function both(text: string, names: string[], columns: string[], delimiter = ',') {
  const decoder = openDelimitedDecoder({ format: 'delimited', delimiter, names });
  const bytes = new Uint8Array(Buffer.from(text, 'utf8'));
  const strings = table(decoder.columnChunks({ bytes }, columns) as Iterable<ColumnChunk>);
  // The CSV decoder gives its chunks synchronously (text cells and values, no dictionaries).
  const cells = table(decoder.encodedChunks!({ bytes }, columns) as Iterable<ColumnChunk | TextCellChunk>);
  return { strings: strings.columns, cells: cells.columns, byteChunks: cells.byteChunks };
}

describe('CSV part cells as byte ranges', () => {
  const names = ['a', 'b', 'c'];
  const cases: [string, string][] = [
    ['plain lines', '1,x,2024-01-01\n2,y,2024-01-02\n3,z,2024-01-03\n'],
    ['no final line break', '1,x,y\n2,y,z'],
    ['CRLF line breaks', '1,x,y\r\n2,,z\r\n\r\n3,q,\r\n'],
    ['blank lines and whitespace-only lines', '\n1,x,y\n\n \n2,y,z\n\n'],
    ['short and long rows', '1\n1,2\n1,2,3,4,5\n,,\n,\n'],
    ['non-ASCII text and NA strings', 'é,ü,日本\nNA,,null\n€5,naïve,x\n'],
    ['quotes from the second line on', '1,x,y\n2,"a,b",z\n3,"multi\nline","q""uote"\n4,x,y\n'],
    ['a stray CR', '1,x,y\n2,a\rb,c\n3,x,y\n'],
    ['a bare quote inside a field', '1,ab"c,d\n2,e,f\n'],
    ['a CR at the very end', '1,x,y\r'],
    ['a quote on the first line', '"1",x,y\n2,y,z\n'],
    ['a CR before a CRLF', '1,x,y\r\r\n2,y,z\n'],
    ['only CRLF blank lines', '\r\n\r\n1,x,y\r\n'],
    ['spaces and bytes below the delimiter', '1, x ,!#$%&\n\t2,y\t, z\n'],
  ];
  for (const [what, text] of cases) {
    it(`give the same cells as the strings: ${what}`, () => {
      const { strings, cells } = both(text, names, names);
      expect(cells).toEqual(strings);
    });
  }

  it('read plain parts without strings, and parts with quotes from their first quoted line on', () => {
    expect(both('1,x,y\n2,y,z\n', names, names).byteChunks).toBe(3);
    expect(both('"1",x,y\n2,y,z\n', names, names).byteChunks).toBe(0);
  });

  it('give columns in the asked order, missing ones as null, the last of duplicate names', () => {
    const { strings, cells } = both('1,2,3,4\n5,6,7,8\n', ['a', 'b', 'a', 'd'], ['d', 'a', 'nope', 'b']);
    expect(cells).toEqual(strings);
    expect(cells).toEqual({ d: ['4', '8'], a: ['3', '7'], nope: [null, null], b: ['2', '6'] });
  });

  it('send the whole line to the text parser on a quote or a stray CR in a column not asked for', () => {
    for (const text of ['1,x,y\n2,y,"z,w"\n3,q,r\n', '1,x,y\n2,y,a\rb\n3,q,r\n', '1,x,y\r\n2,y,"z\r\nw"\r\n3,q,r\r\n']) {
      const { strings, cells, byteChunks } = both(text, names, ['b', 'a']);
      expect(cells).toEqual(strings);
      expect(byteChunks).toBe(2);
    }
  });

  it('split at a delimiter above the other stop bytes; a non-ASCII one goes to the text parser', () => {
    for (const delimiter of [';', '|', '\u00a7']) {
      const text = `1${delimiter}a,b${delimiter}x y\n2${delimiter}"c${delimiter}d"${delimiter}z\r\n3${delimiter}${delimiter}\n`;
      const { strings, cells } = both(text, names, names, delimiter);
      expect(cells).toEqual(strings);
    }
  });

  it('count rows across batches and tab delimiters', () => {
    const rows = Array.from({ length: CELL_BATCH_ROWS * 2 + 7 }, (_, i) => `${i}\tname ${i}\t${i % 3 === 0 ? '' : i * 0.5}`);
    const { strings, cells } = both(rows.join('\n') + '\n', names, ['c', 'a'], '\t');
    expect(cells).toEqual(strings);
    expect(cells.a).toHaveLength(rows.length);
  });
});
