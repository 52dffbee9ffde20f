// Exact counts too large for a double, as base-2^46 limbs in Float64 slots: summing up to 64 scaled
// limbs (explore allows at most 8 threads) stays below 2^53, exact, and allocates nothing, unlike BigInt.

export const LIMB = 2 ** 46;
const LIMB_BITS = 46n;

/** A growable Float64Array that hands out runs of slots. */
export class Pool {
  data = new Float64Array(1 << 22);
  used = 0;

  alloc(size: number): number {
    if (this.used + size > this.data.length) {
      let capacity = this.data.length * 2;
      while (this.used + size > capacity) capacity *= 2;
      const grown = new Float64Array(capacity);
      grown.set(this.data.subarray(0, this.used));
      this.data = grown;
    }
    const offset = this.used;
    this.used += size;
    // Slots given back by a compaction may still hold old limbs.
    this.data.fill(0, offset, this.used);
    return offset;
  }
}

/** Carries every limb of `count` numbers (each `limbs` long, from `offset`) into the next. */
export function normalise(data: Float64Array, offset: number, count: number, limbs: number): void {
  for (let k = 0; k < count; k++) {
    let carry = 0;
    const base = offset + k * limbs;
    for (let l = 0; l < limbs; l++) {
      const value = data[base + l]! + carry;
      carry = Math.floor(value / LIMB);
      data[base + l] = value - carry * LIMB;
    }
    if (carry !== 0) throw new Error('limb overflow: the count outgrew its limbs');
  }
}

export function toBigInt(data: Float64Array, offset: number, limbs: number): bigint {
  let value = 0n;
  for (let l = limbs - 1; l >= 0; l--) value = (value << LIMB_BITS) + BigInt(data[offset + l]!);
  return value;
}

export function isZero(data: Float64Array, offset: number, limbs: number): boolean {
  for (let l = 0; l < limbs; l++) if (data[offset + l] !== 0) return false;
  return true;
}
