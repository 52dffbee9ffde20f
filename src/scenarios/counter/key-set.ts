/** The model's set of state keys, each numbered in the order it was added. */
export interface StateSet {
  /** The keys in the order they were added. */
  readonly keys: Float64Array | Int32Array;
  readonly size: number;
  /** The number of `key`, adding it if new. */
  add(key: number): number;
  /** Empties the set, keeping its memory: fresh memory costs a page fault per page on first touch. */
  clear(): void;
}

/** An open-addressing set of integer keys (below 2^53), each numbered in the order it was added. */
export class KeySet implements StateSet {
  /** The keys in the order they were added. */
  keys: Float64Array;
  /** Slot pairs: the key, then its number + 1 (0: empty). Side by side, a probe touches one cache line. */
  private table: Float64Array;
  size = 0;

  /** Room for about `expected` keys before growing (rounded up to a power of two). */
  constructor(expected = 1 << 10) {
    let capacity = 1 << 10;
    while (capacity < expected) capacity *= 2;
    this.keys = new Float64Array(capacity);
    // Twice as many slots as keys, a power of two, so that `hash & mask` reaches every slot.
    this.table = new Float64Array(capacity * 4);
  }

  /** The number of `key`, adding it if new. */
  add(key: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let slot = hash(key) & mask;
    for (let number = table[2 * slot + 1]!; number !== 0; number = table[2 * slot + 1]!) {
      if (table[2 * slot] === key) return number - 1;
      slot = (slot + 1) & mask;
    }
    if (this.size === this.keys.length) {
      this.grow();
      return this.add(key);
    }
    table[2 * slot] = key;
    table[2 * slot + 1] = this.size + 1;
    this.keys[this.size] = key;
    return this.size++;
  }

  /** Empties the set, keeping its memory: fresh memory costs a page fault per page on first touch. */
  clear(): void {
    this.table.fill(0);
    this.size = 0;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const table = new Float64Array(keys.length * 4);
    const mask = (table.length >> 1) - 1;
    for (let index = 0; index < this.size; index++) {
      let slot = hash(keys[index]!) & mask;
      while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = keys[index]!;
      table[2 * slot + 1] = index + 1;
    }
    this.table = table;
  }
}

/** Mixes an integer key below 2^53 into 32 bits. */
function hash(key: number): number {
  const low = key >>> 0;
  const high = Math.floor(key / 4294967296) >>> 0;
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * KeySet for keys below 2^31: half the memory and a multiply for a hash, which matters because nearly
 * every probe of a large level's table misses the cache.
 */
export class IntKeySet implements StateSet {
  keys: Int32Array;
  /** Slot pairs: the key, then its number + 1 (0: empty). */
  private table: Int32Array;
  /** 32 − log2(slots): a hash's top bits pick the slot (Fibonacci hashing). */
  private shift: number;
  size = 0;

  constructor() {
    this.keys = new Int32Array(1 << 10);
    this.table = new Int32Array(1 << 12);
    this.shift = 32 - 11;
  }

  add(key: number): number {
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    let slot = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (let number = table[2 * slot + 1]!; number !== 0; number = table[2 * slot + 1]!) {
      if (table[2 * slot] === key) return number - 1;
      slot = (slot + 1) & mask;
    }
    if (this.size === this.keys.length) {
      this.grow();
      return this.add(key);
    }
    table[2 * slot] = key;
    table[2 * slot + 1] = this.size + 1;
    this.keys[this.size] = key;
    return this.size++;
  }

  clear(): void {
    this.table.fill(0);
    this.size = 0;
  }

  private grow(): void {
    const keys = new Int32Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    this.table = new Int32Array(keys.length * 4);
    this.shift--;
    const table = this.table;
    const mask = (table.length >> 1) - 1;
    for (let index = 0; index < this.size; index++) {
      let slot = Math.imul(keys[index]!, 0x9e3779b1) >>> this.shift;
      while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = keys[index]!;
      table[2 * slot + 1] = index + 1;
    }
  }
}

/** An Int32Array that grows as values are pushed. */
export class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1 << 10) {
    this.data = new Int32Array(Math.max(16, capacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  clear(): void {
    this.length = 0;
  }

  /** The values pushed, as an array of their own length. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
