// Exact counts too large for a double, as base-2^46 limbs in Float64 slots: summing up to 64 scaled
// limbs (explore allows at most 8 threads) stays below 2^53, exact, and allocates nothing, unlike BigInt.

export const LIMB = 2 ** 46;
const LIMB_BITS = 46n;

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
