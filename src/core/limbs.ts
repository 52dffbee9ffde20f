// Exact counts too large for a double, as limbs of a power of two in Float64 slots: while a sum of
// scaled limbs stays below 2^53 it is exact, and it allocates nothing, unlike BigInt. The counter's model
// uses 2^46 (at most 8 threads add into a limb); the generic model 2^44 (up to 512 threads).

export const LIMB = 2 ** 46;

/**
 * Carries every limb of `count` numbers (each `limbs` long, from `offset`) into the next; false, with
 * the numbers unchanged from that one on, when one needs a limb more.
 */
export function normalise(data: Float64Array, offset: number, count: number, limbs: number, base = LIMB): boolean {
  if (limbs === 1) {
    for (let k = offset; k < offset + count; k++) if (data[k]! >= base) return false;
    return true;
  }
  for (let k = 0; k < count; k++) {
    const at = offset + k * limbs;
    if (data[at + limbs - 1]! >= base) return false;
    let carry = 0;
    for (let l = 0; l < limbs; l++) {
      const value = data[at + l]! + carry;
      carry = Math.floor(value / base);
      data[at + l] = value - carry * base;
    }
    if (carry !== 0) return false;
  }
  return true;
}

/**
 * The limbs a count needs, from its value in floating point (relative error far below 10^-9): a block
 * sized so is never outgrown, and sums into it never need redoing wider.
 */
export function limbsFor(approx: number, base = LIMB): number {
  let limbs = 1;
  while (approx * (1 + 1e-9) >= base ** limbs) limbs++;
  return limbs;
}

export function toBigInt(data: Float64Array, offset: number, limbs: number, base = LIMB): bigint {
  const bits = BigInt(Math.log2(base));
  let value = 0n;
  for (let l = limbs - 1; l >= 0; l--) value = (value << bits) + BigInt(data[offset + l]!);
  return value;
}
