/**
 * Decodes the parts of a split pass (with the table's part decoder) into its own accumulators, one
 * part at a time: the work of one thread of a parallel profile scan, a worker's or the calling
 * thread's own share.
 */
import type { ColumnChunk, DictionaryChunk, EncodedChunk, PartDecoder, TextCellChunk } from '@om/core/worker-protocol';
import { accumulatorsByColumn, ColumnAccumulator, type AccumulatorLimits, type AccumulatorState } from '../metrics/column';
import type { AccumulatorSpec, PartSample } from './protocol';

export class PartScanner {
  private readonly accumulators: ColumnAccumulator[];
  private readonly byColumn: Map<string, ColumnAccumulator[]>;
  private readonly columns: string[];
  private rowCount = 0;

  constructor(
    private readonly decoder: PartDecoder,
    specs: AccumulatorSpec[],
    limits: AccumulatorLimits,
  ) {
    this.accumulators = specs.map((spec) => new ColumnAccumulator(spec.column, { ...spec.options, limits }));
    this.byColumn = accumulatorsByColumn(this.accumulators);
    this.columns = [...this.byColumn.keys()];
  }

  /** Decodes one part; with `sampleRows`, also gives the values of its first rows (it starts the pass). */
  async decode(payload: unknown, sampleRows = 0): Promise<PartSample | undefined> {
    let partRows = 0;
    const sample = sampleRows > 0 ? new Map<string, unknown[]>() : undefined;
    // Text cells as byte ranges and dictionary indexes when the decoder offers them (no string per
    // cell; a distinct value counted once per chunk).
    const chunks: AsyncIterable<EncodedChunk> | Iterable<EncodedChunk> = this.decoder.encodedChunks
      ? this.decoder.encodedChunks(payload, this.columns)
      : this.decoder.columnChunks(payload, this.columns);
    for await (const chunk of chunks) {
      const targets = this.byColumn.get(chunk.column);
      const cells = 'cells' in chunk ? chunk.cells : undefined;
      const coded = 'indexes' in chunk ? chunk : undefined;
      if (targets) {
        for (const a of targets) {
          if (cells) a.addTextCells(cells.bytes, cells.starts, cells.ends, chunk.length);
          else if (coded) a.addDictionaryColumn(coded.dictionary, coded.indexes, chunk.length);
          else a.addColumn((chunk as ColumnChunk).values, chunk.length);
        }
      }
      if (chunk.rowStart + chunk.length > partRows) partRows = chunk.rowStart + chunk.length;
      if (sample && chunk.rowStart < sampleRows) {
        // The first rows of the pass for the caller's sample data, copied out of the chunk.
        let out = sample.get(chunk.column);
        if (!out) sample.set(chunk.column, (out = []));
        const end = Math.min(chunk.length, sampleRows - chunk.rowStart);
        const values = cells ? cellStrings(cells, end) : coded ? dictionaryValues(coded, end) : (chunk as ColumnChunk).values;
        for (let i = 0; i < end; i++) out[chunk.rowStart + i] = values ? values[i] : null;
      }
    }
    this.rowCount += partRows;
    return sample ? [...sample].map(([column, values]) => ({ column, values })) : undefined;
  }

  /** Rows decoded and the accumulators' states (in spec order). */
  result(): { rowCount: number; states: AccumulatorState[] } {
    return { rowCount: this.rowCount, states: this.accumulators.map((a) => a.state()) };
  }
}

/** The first `n` cells as the strings a row reader would give (null for a missing cell). */
function cellStrings(cells: TextCellChunk['cells'], n: number): (string | null)[] {
  const text = Buffer.from(cells.bytes.buffer, cells.bytes.byteOffset, cells.bytes.byteLength);
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) out[i] = cells.starts[i] < 0 ? null : text.toString('utf8', cells.starts[i], cells.ends[i]);
  return out;
}

/** The first `n` values of a dictionary chunk, as `columnChunks` would give them (NaN for a missing number). */
function dictionaryValues(chunk: DictionaryChunk, n: number): unknown[] {
  const missing = chunk.dictionary instanceof Float64Array ? NaN : null;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = chunk.indexes[i] < 0 ? missing : chunk.dictionary[chunk.indexes[i]];
  return out;
}

/** A thread's part decoder: the table's decoder module, loaded in this thread. */
export function openPartDecoder(decoderModule: string, decoderOptions: unknown): PartDecoder {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(decoderModule) as { openPartDecoder(options: unknown): PartDecoder }).openPartDecoder(decoderOptions);
}
