/**
 * The states of one level of the model: each an Int32 vector of one width, kept side by side in one
 * array and numbered in the order they were added, with an open-addressing table to find them.
 */
export class StateSet {
  /** The vectors, `width` cells each, in the order added. */
  vectors: Int32Array;
  size = 0;
  /** Slot → state number + 1 (0: empty). A power of two, at least twice the states. */
  private table: Int32Array;

  constructor(
    readonly width: number,
    expected = 8,
  ) {
    // Small to start: a model of one thread has a level per step, each of one state.
    let capacity = 8;
    while (capacity < expected) capacity *= 2;
    this.vectors = new Int32Array(capacity * width);
    this.table = new Int32Array(capacity * 2);
  }

  /** Bytes held now. */
  get bytes(): number {
    return this.vectors.byteLength + this.table.byteLength;
  }

  /** The number of the state whose vector is `source[from … from + width)`, adding it if new. */
  add(source: Int32Array, from = 0): number {
    if ((this.size + 1) * 2 > this.table.length) this.grow();
    const hash = hashOf(source, from, this.width);
    const slot = this.slotOf(source, from, hash);
    const entry = this.table[slot]!;
    if (entry !== 0) return entry - 1;
    const number = this.size++;
    if (number * this.width + this.width > this.vectors.length) {
      const vectors = new Int32Array(this.vectors.length * 2);
      vectors.set(this.vectors);
      this.vectors = vectors;
    }
    this.vectors.set(source.subarray(from, from + this.width), number * this.width);
    this.table[slot] = number + 1;
    return number;
  }

  /** The number of the state with this vector, or −1. */
  find(source: Int32Array, from = 0): number {
    return this.table[this.slotOf(source, from, hashOf(source, from, this.width))]! - 1;
  }

  /** The slot that holds this vector's number, or the empty slot where it would go. */
  private slotOf(source: Int32Array, from: number, hash: number): number {
    const { table, vectors, width } = this;
    const mask = table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = table[slot]!;
      if (entry === 0) return slot;
      const at = (entry - 1) * width;
      let same = true;
      for (let k = 0; k < width; k++) {
        if (vectors[at + k] !== source[from + k]) {
          same = false;
          break;
        }
      }
      if (same) return slot;
    }
  }

  /** The vector of state `number`, as a view. */
  vector(number: number): Int32Array {
    return this.vectors.subarray(number * this.width, (number + 1) * this.width);
  }

  /** Gives back the spare room of the vectors once the level is complete. */
  trim(): void {
    this.vectors = this.vectors.slice(0, this.size * this.width);
  }

  private place(number: number, hash: number): void {
    const mask = this.table.length - 1;
    let slot = hash & mask;
    while (this.table[slot] !== 0) slot = (slot + 1) & mask;
    this.table[slot] = number + 1;
  }

  private grow(): void {
    this.table = new Int32Array(this.table.length * 2);
    for (let number = 0; number < this.size; number++) this.place(number, hashOf(this.vectors, number * this.width, this.width));
  }
}

/** FNV-style mixing of a vector of Int32s into 32 bits. */
function hashOf(source: Int32Array, from: number, width: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = 0; k < width; k++) {
    h = Math.imul(h ^ source[from + k]!, 0x01000193);
    h ^= h >>> 15;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
