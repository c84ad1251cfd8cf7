/**
 * Exact counts per number: the hash-sampled distinct values of a number column in sketch mode. One
 * open-addressing table (linear probing) of typed arrays, sized once for the sample's limit. A Map
 * of numbers made a heap number of each key, and rebuilt its backing store (almost a megabyte at
 * 20,000 keys, left for the thread's next full collection) every time the sample's level rose and
 * half its keys went. Keys are compared as a Map compares them: -0 and 0 are one key (no NaN here).
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

export class NumberCounts implements Iterable<[number, number]> {
  private keyAt: Float64Array;
  /** 0: an empty slot. */
  private countAt: Float64Array;
  private mask: number;
  size = 0;

  /** Room for `expected` keys without growing (the table grows past that, should it be needed). */
  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2 + 2) capacity *= 2;
    this.keyAt = new Float64Array(capacity);
    this.countAt = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  static from(entries: Iterable<[unknown, number]>, expected: number): NumberCounts {
    const counts = new NumberCounts(expected);
    for (const [key, count] of entries) counts.set(key as number, count);
    return counts;
  }

  private slotOf(x: number): number {
    let i = this.home(x);
    while (this.countAt[i] !== 0 && this.keyAt[i] !== x) i = (i + 1) & this.mask;
    return i;
  }

  get(key: number): number | undefined {
    const i = this.slotOf(key === 0 ? 0 : key);
    return this.countAt[i] === 0 ? undefined : this.countAt[i];
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  /** `count` must be positive (a count of occurrences). */
  set(key: number, count: number): this {
    const x = key === 0 ? 0 : key;
    const i = this.slotOf(x);
    if (this.countAt[i] === 0) {
      this.keyAt[i] = x;
      this.size++;
    }
    this.countAt[i] = count;
    if (this.size * 2 > this.mask) this.rebuild(this.keyAt.length * 2);
    return this;
  }

  /** Adds `count` (positive) to the key's count, in one probe (get and set take two): true when the key is new. */
  add(key: number, count: number): boolean {
    const x = key === 0 ? 0 : key;
    const i = this.slotOf(x);
    if (this.countAt[i] !== 0) {
      this.countAt[i] += count;
      return false;
    }
    this.keyAt[i] = x;
    this.countAt[i] = count;
    this.size++;
    if (this.size * 2 > this.mask) this.rebuild(this.keyAt.length * 2);
    return true;
  }

  delete(key: number): boolean {
    const i = this.slotOf(key === 0 ? 0 : key);
    if (this.countAt[i] === 0) return false;
    this.removeAt(i);
    return true;
  }

  /** Keeps the keys `keep` accepts, in place: nothing allocated. */
  retain(keep: (key: number) => boolean): void {
    let i = 0;
    while (i <= this.mask) {
      // A removal may move a later key into slot i: look at it again.
      if (this.countAt[i] !== 0 && !keep(this.keyAt[i])) this.removeAt(i);
      else i++;
    }
  }

  private home(x: number): number {
    f64[0] = x;
    const h = Math.imul(u32[0] ^ Math.imul(u32[1], 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 15)) & this.mask;
  }

  /** Empties slot i, moving the keys after it in its probe run back so every key stays reachable. */
  private removeAt(i: number): void {
    const keys = this.keyAt;
    const counts = this.countAt;
    let hole = i;
    let j = i;
    for (;;) {
      j = (j + 1) & this.mask;
      if (counts[j] === 0) break;
      const k = this.home(keys[j]);
      // The key at j stays when its home lies cyclically in (hole, j].
      const stays = hole <= j ? hole < k && k <= j : hole < k || k <= j;
      if (stays) continue;
      keys[hole] = keys[j];
      counts[hole] = counts[j];
      hole = j;
    }
    counts[hole] = 0;
    this.size--;
  }

  /** The same keys and counts in a table of `capacity` slots. */
  private rebuild(capacity: number): void {
    const keys = this.keyAt;
    const counts = this.countAt;
    this.keyAt = new Float64Array(capacity);
    this.countAt = new Float64Array(capacity);
    this.mask = capacity - 1;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (counts[i] !== 0) this.set(keys[i], counts[i]);
  }

  *keys(): IterableIterator<number> {
    for (let i = 0; i < this.keyAt.length; i++) if (this.countAt[i] !== 0) yield this.keyAt[i];
  }

  *values(): IterableIterator<number> {
    for (let i = 0; i < this.keyAt.length; i++) if (this.countAt[i] !== 0) yield this.countAt[i];
  }

  *[Symbol.iterator](): IterableIterator<[number, number]> {
    for (let i = 0; i < this.keyAt.length; i++) if (this.countAt[i] !== 0) yield [this.keyAt[i], this.countAt[i]];
  }
}
