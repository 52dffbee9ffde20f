// Exact counts too large for a double, as base-2^46 limbs in Float64 slots: summing up to 64 scaled
// limbs (explore allows at most 8 threads) stays below 2^53, exact, and allocates nothing, unlike BigInt.

export const LIMB = 2 ** 46;
const LIMB_BITS = 46n;

/** A growable Float64Array that hands out runs of slots. */
export class Pool {
  data: Float64Array;
  used = 0;
  /** Slots at and past this were never written: still zero. */
  private clean = 0;

  constructor(capacity = 1 << 16) {
    this.data = new Float64Array(capacity);
  }

  /** Hands every slot back, keeping the memory (slots are zeroed again as they are handed out). */
  reset(): void {
    this.used = 0;
  }

  alloc(size: number): number {
    if (this.used + size > this.data.length) {
      let capacity = this.data.length * 2;
      while (this.used + size > capacity) capacity *= 2;
      const grown = new Float64Array(capacity);
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
      this.clean = this.used;
    }
    const offset = this.used;
    this.used += size;
    // Slots handed back (by resetting `used`) may still hold old limbs; fresh ones are zero already.
    const data = this.data;
    for (let i = offset; i < Math.min(this.used, this.clean); i++) data[i] = 0;
    this.clean = Math.max(this.clean, this.used);
    return offset;
  }
}

/**
 * Carries every limb of `count` numbers (each `limbs` long, from `offset`) into the next; false, with
 * the numbers unchanged from that one on, when one needs a limb more.
 */
export function normalise(data: Float64Array, offset: number, count: number, limbs: number): boolean {
  if (limbs === 1) {
    for (let k = offset; k < offset + count; k++) if (data[k]! >= LIMB) return false;
    return true;
  }
  for (let k = 0; k < count; k++) {
    const base = offset + k * limbs;
    if (data[base + limbs - 1]! >= LIMB) return false;
    let carry = 0;
    for (let l = 0; l < limbs; l++) {
      const value = data[base + l]! + carry;
      carry = Math.floor(value / LIMB);
      data[base + l] = value - carry * LIMB;
    }
    if (carry !== 0) return false;
  }
  return true;
}

export function toBigInt(data: Float64Array, offset: number, limbs: number): bigint {
  let value = 0n;
  for (let l = limbs - 1; l >= 0; l--) value = (value << LIMB_BITS) + BigInt(data[offset + l]!);
  return value;
}
