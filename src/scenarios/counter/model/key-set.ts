/**
 * An open-addressing set of integer keys below 2^53, each numbered in the order it was added. A slot
 * holds a key as two Int32 halves and the key's number: keys below 2^31 (4 threads × 6 increments)
 * hash with two multiplies and take 12 bytes a slot, and nearly every probe of a large level's table
 * misses the cache.
 */
export class KeySet {
  /** The keys in the order they were added. */
  keys: Float64Array;
  /** Slot triples: the key's low 32 bits, its high bits, its number + 1 (0: empty). */
  private table: Int32Array;
  /** 32 − log2(slots): a hash's top bits pick the slot (Fibonacci hashing). */
  private shift: number;
  size = 0;

  constructor() {
    this.keys = new Float64Array(1 << 10);
    // Twice as many slots as keys, a power of two.
    this.table = new Int32Array(3 << 11);
    this.shift = 32 - 11;
  }

  /** The number of `key`, adding it if new. */
  add(key: number): number {
    const table = this.table;
    const mask = (1 << (32 - this.shift)) - 1;
    const low = key >>> 0;
    const high = (key - low) / 4294967296;
    let slot = hash(low, high) >>> this.shift;
    for (let number = table[3 * slot + 2]!; number !== 0; number = table[3 * slot + 2]!) {
      if (table[3 * slot] === (low | 0) && table[3 * slot + 1] === high) return number - 1;
      slot = (slot + 1) & mask;
    }
    if (this.size === this.keys.length) {
      this.grow();
      return this.add(key);
    }
    table[3 * slot] = low;
    table[3 * slot + 1] = high;
    table[3 * slot + 2] = this.size + 1;
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
    this.shift--;
    const table = new Int32Array(keys.length * 2 * 3);
    const mask = (1 << (32 - this.shift)) - 1;
    for (let index = 0; index < this.size; index++) {
      const low = keys[index]! >>> 0;
      const high = (keys[index]! - low) / 4294967296;
      let slot = hash(low, high) >>> this.shift;
      while (table[3 * slot + 2] !== 0) slot = (slot + 1) & mask;
      table[3 * slot] = low;
      table[3 * slot + 1] = high;
      table[3 * slot + 2] = index + 1;
    }
    this.table = table;
  }
}

/** Mixes a key's two halves into 32 bits, whose top bits are the best mixed. */
function hash(low: number, high: number): number {
  return Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1);
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
