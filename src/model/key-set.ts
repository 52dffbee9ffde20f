const EMPTY = -1;

/** An open-addressing set of integer keys (below 2^53), each numbered in the order it was added. */
export class KeySet {
  keys: Float64Array;
  private slots: Int32Array;
  size = 0;

  /** Room for about `expected` keys before growing (rounded up to a power of two). */
  constructor(expected = 1 << 10) {
    let capacity = 1 << 10;
    while (capacity < expected) capacity *= 2;
    this.keys = new Float64Array(capacity);
    this.slots = new Int32Array(capacity * 2).fill(EMPTY);
  }

  /** The number of `key`, adding it if new. */
  add(key: number): number {
    let mask = this.slots.length - 1;
    let slot = hash(key) & mask;
    for (let index = this.slots[slot]!; index !== EMPTY; index = this.slots[slot]!) {
      if (this.keys[index] === key) return index;
      slot = (slot + 1) & mask;
    }
    if (this.size === this.keys.length) {
      this.grow();
      mask = this.slots.length - 1;
      slot = hash(key) & mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
    }
    this.keys[this.size] = key;
    this.slots[slot] = this.size;
    return this.size++;
  }

  /** The number of `key`, or -1. */
  find(key: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const index = this.slots[slot]!;
      if (index === EMPTY || this.keys[index] === key) return index;
    }
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    // Twice as many slots as keys, a power of two, so that `hash & mask` reaches every slot.
    this.slots = new Int32Array(keys.length * 2).fill(EMPTY);
    const mask = this.slots.length - 1;
    for (let index = 0; index < this.size; index++) {
      let slot = hash(keys[index]!) & mask;
      while (this.slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      this.slots[slot] = index;
    }
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

/** An Int32Array that grows as values are pushed. */
export class IntList {
  data = new Int32Array(1 << 10);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }

  /** The values pushed, as an array of their own length. */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}
