/** NumberCounts behaves as a Map of number → count (SameValueZero keys) through sets, adds, deletes and pruning. */
import { seededRandom } from '../testing/tables';
import { NumberCounts } from './number-counts';

const sorted = (it: Iterable<[number, number]>): [number, number][] => [...it].sort((a, b) => a[0] - b[0] || a[1] - b[1]);

describe('NumberCounts', () => {
  it('matches a Map through random adds, deletes and retains (collisions, growth, -0)', () => {
    const r = seededRandom(5);
    for (const range of [50, 5_000, 1e9]) {
      const map = new Map<number, number>();
      const counts = new NumberCounts(64);
      for (let step = 0; step < 8_000; step++) {
        const x = r() < 0.05 ? (r() < 0.5 ? -0 : 0) : Math.floor(r() * range) * (r() < 0.3 ? 0.5 : 1);
        const op = r();
        if (op < 0.4) {
          const c = (map.get(x) ?? 0) + 1;
          map.set(x, c);
          counts.set(x, c);
        } else if (op < 0.7) {
          const add = 1 + Math.floor(r() * 3);
          const isNew = !map.has(x);
          map.set(x, (map.get(x) ?? 0) + add);
          expect(counts.add(x, add)).toBe(isNew);
        } else if (op < 0.95) {
          expect(counts.delete(x)).toBe(map.delete(x));
        } else {
          const mod = 2 + Math.floor(r() * 3);
          for (const k of [...map.keys()]) if (Math.abs(k) % mod === 0) map.delete(k);
          counts.retain((k) => Math.abs(k) % mod !== 0);
        }
        expect(counts.get(x)).toBe(map.get(x));
        expect(counts.size).toBe(map.size);
      }
      expect(sorted(counts)).toEqual(sorted(map));
      expect([...counts.keys()].sort((a, b) => a - b)).toEqual([...map.keys()].sort((a, b) => a - b));
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe([...map.values()].reduce((a, b) => a + b, 0));
      for (const k of map.keys()) expect(counts.has(k)).toBe(true);
    }
  });
});
