/**
 * A state of identical threads is the multiset of their codes (numbers below `count`), kept sorted. Its
 * key is the multiset's rank among all multisets of that many codes (the combinatorial number system):
 * the smallest number that tells them apart, so that more sizes fit an Int32.
 */
export class MultisetKeys {
  /**
   * (threads − 1) rows of `count`: row j − 1 holds C(code + j, j + 1), the sorted j-th code's part of a
   * key (the first code's part is itself).
   */
  readonly rank: Float64Array;

  constructor(
    readonly count: number,
    readonly threads: number,
  ) {
    this.rank = new Float64Array(Math.max(0, threads - 1) * count);
    for (let j = 1; j < threads; j++) {
      const row = (j - 1) * count;
      const above = (j - 2) * count;
      // Pascal's rule, C(code + j, j + 1) = C(code + j − 1, j + 1) + C(code + j − 1, j), so that every
      // entry is an exact sum: this row's previous entry plus the row above's (row 0's is the code).
      for (let code = 1; code < count; code++) this.rank[row + code] = this.rank[row + code - 1]! + (j === 1 ? code : this.rank[above + code]!);
    }
  }

  /** Whether keys of `threads` codes below `count` are exact in a double, with a rank table of at most 2^21 numbers. */
  static fit(count: number, threads: number): boolean {
    return count < 2 ** 31 && (threads - 1) * count <= 2 ** 21 && multisets(count, threads) <= 2 ** 52;
  }

  /** Bytes of the rank table. */
  static bytes(count: number, threads: number): number {
    return Math.max(0, threads - 1) * count * 8;
  }

  /**
   * Where a move leads: the sorted codes `codes[at … at + threads)` with the mover's (at `mover`) now
   * `moverCode`, and each other lowered by `by` where `lowered` is set, which keeps the others in order.
   * The result's sorted codes go into `into`; its key is returned.
   */
  keyAfterMove(codes: Int32Array, at: number, mover: number, moverCode: number, lowered: Uint8Array, by: number, into: Int32Array): number {
    let placed = false;
    let n = 0;
    for (let j = 0; j < this.threads; j++) {
      if (j === mover) continue;
      const other = codes[at + j]! - (lowered[j] ? by : 0);
      if (!placed && moverCode <= other) {
        into[n++] = moverCode;
        placed = true;
      }
      into[n++] = other;
    }
    if (!placed) into[n] = moverCode;
    return this.keyOfSorted(into);
  }

  /** The key of a state given as its threads' codes, sorted. */
  keyOfSorted(codes: ArrayLike<number>): number {
    let key = codes[0]!;
    for (let j = 1; j < this.threads; j++) key += this.rank[(j - 1) * this.count + codes[j]!]!;
    return key;
  }
}

/** C(count + threads − 1, threads): how many multisets of `threads` codes there are, in floating point. */
function multisets(count: number, threads: number): number {
  let result = 1;
  for (let m = 1; m <= threads; m++) result = (result * (count + m - 1)) / m;
  return result;
}
