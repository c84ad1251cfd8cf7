/**
 * Values given as dictionary indexes (`addDictionaryColumn`: Parquet dictionary pages in a profile
 * worker) keep exactly the state their values give (`addColumn`), whether distinct values are
 * counted exactly or sketched, and when the switch to the sketch falls inside a chunk.
 */
import type { DataType } from '@om/core';
import { seededRandom } from '../testing/tables';
import { ColumnAccumulator, DEFAULT_LIMITS, type AccumulatorLimits } from './column';

const small: AccumulatorLimits = { ...DEFAULT_LIMITS, exactDistinctLimit: 40, exactQuantileLimit: 300 };

function dictionaryOf(dataType: DataType, size: number, r: () => number): ArrayLike<unknown> {
  if (dataType === 'STRING') {
    const words = ['', 'cat', 'naïve', '日本', '#N/A', 'NA', 'a value longer than thirteen characters'];
    return Array.from({ length: size }, (_, k) => (k < words.length ? words[k] : `w${k}-${Math.floor(r() * 1e6)}`));
  }
  const xs = new Float64Array(size);
  for (let k = 0; k < size; k++) xs[k] = dataType === 'TIMESTAMP' ? Date.UTC(2024, 0, 1) + k * 60_000 : dataType === 'INT' ? k - 20 : r() * 1000;
  if (dataType === 'DOUBLE') {
    xs[0] = -0;
    xs[1] = 0;
    xs[2] = NaN; // a NaN in the data reads as missing, as in any Float64Array chunk
  }
  return xs;
}

describe('addDictionaryColumn', () => {
  for (const dataType of ['STRING', 'DOUBLE', 'INT', 'TIMESTAMP', 'BOOLEAN'] as DataType[]) {
    for (const csvNulls of [false, true]) {
      it(`keeps the state addColumn keeps: ${dataType}${csvNulls ? ' (CSV nulls)' : ''}`, () => {
        const r = seededRandom(dataType.length * 17 + (csvNulls ? 1 : 0));
        for (const limits of [DEFAULT_LIMITS, small]) {
          for (const size of [3, 30, 500]) {
            const dictionary = dataType === 'BOOLEAN' ? [true, false] : dictionaryOf(dataType, size, r);
            const options = { trackDistinct: true, trackQuantiles: true, csvNulls, limits };
            const column = { name: 'c', dataType };
            const viaValues = new ColumnAccumulator(column, options);
            const viaIndexes = new ColumnAccumulator(column, options);
            for (let chunk = 0; chunk < 4; chunk++) {
              const n = 700;
              const indexes = new Int32Array(n);
              for (let i = 0; i < n; i++) indexes[i] = r() < 0.05 ? -1 : Math.floor(r() ** 2 * dictionary.length);
              const numeric = dictionary instanceof Float64Array;
              const values = numeric ? new Float64Array(n) : new Array<unknown>(n);
              for (let i = 0; i < n; i++) values[i] = indexes[i] < 0 ? (numeric ? NaN : null) : dictionary[indexes[i]];
              viaValues.addColumn(values, n);
              viaIndexes.addDictionaryColumn(dictionary, indexes, n);
            }
            expect(viaIndexes.state()).toEqual(viaValues.state());
            expect(viaIndexes.stats()).toEqual(viaValues.stats());
          }
        }
      });
    }
  }
});
