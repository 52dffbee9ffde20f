import { limbsFor, normalise } from '../../../core/limbs.js';
import { InconsistentModelError } from '../../../errors.js';

/**
 * One level's futures, computed from the level below (see level-graph.ts): per state the final totals
 * lo … lo + len − 1 (relative to its counter), each `limbs` limbs, from `offset` in the level's pool.
 * The four numbers sit side by side, so that reading a child's touches one cache line. Everything is
 * in SharedArrayBuffers: a level's states are independent, so two threads can each sum a part.
 */
export const LO = 0;
export const LEN = 1;
export const LIMBS = 2;
export const OFFSET = 3;
export const META = 4;

/** The model's steps: per edge the state it leads to, and its move (counter shift × 16 + times). */
export interface Edges {
  readonly child: Int32Array;
  readonly move: Int32Array;
}

/** Sums states start … end − 1 of a level whose blocks were planned (and zeroed) by planLevel. */
export interface SumJob {
  /** Per state, its edges: from[s] … from[s + 1] − 1. */
  readonly from: Int32Array;
  readonly meta: Int32Array;
  readonly pool: Float64Array;
  readonly belowMeta: Int32Array;
  readonly belowPool: Float64Array;
  readonly start: number;
  readonly end: number;
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4));
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(Math.max(1, length) * 8));
}

/**
 * Places every state's block: its range of totals, its limbs, its offset. Limbs come from each state's
 * total count, estimated in floating point (`approx`, relative error far below 10^-9): a block gets the
 * limbs that total needs, so the sums never have to be redone wider. Returns the slots used.
 */
export function planLevel(edges: Edges, from: Int32Array, size: number, meta: Int32Array, approx: Float64Array, belowMeta: Int32Array | null, belowApprox: Float64Array | null): number {
  const { child, move } = edges;
  let used = 0;
  for (let s = 0; s < size; s++) {
    const at = s * META;
    const first = from[s]!;
    const last = from[s + 1]!;
    if (first === last || !belowMeta || !belowApprox) {
      // Every thread is done: one interleaving, ending here.
      meta[at + LO] = 0;
      meta[at + LEN] = 1;
      meta[at + LIMBS] = 1;
      meta[at + OFFSET] = used;
      approx[s] = 1;
      used += 1;
      continue;
    }
    let lo = 0x7fffffff;
    let hi = -0x7fffffff;
    let total = 0;
    for (let e = first; e < last; e++) {
      const c = child[e]!;
      const start = belowMeta[c * META + LO]! + (move[e]! >> 4);
      const end = start + belowMeta[c * META + LEN]! - 1;
      if (start < lo) lo = start;
      if (end > hi) hi = end;
      total += belowApprox[c]! * (move[e]! & 15);
    }
    const limbs = limbsFor(total);
    meta[at + LO] = lo;
    meta[at + LEN] = hi - lo + 1;
    meta[at + LIMBS] = limbs;
    meta[at + OFFSET] = used;
    approx[s] = total;
    used += (hi - lo + 1) * limbs;
  }
  return used;
}

/** Adds each state's children's futures, moved by their shifts and counted `times` over, into its block. */
export function sumLevel(edges: Edges, job: SumJob): void {
  const { child, move } = edges;
  const { from, meta, pool, belowMeta, belowPool, start, end } = job;
  for (let s = start; s < end; s++) {
    const at = s * META;
    const first = from[s]!;
    const last = from[s + 1]!;
    const offset = meta[at + OFFSET]!;
    if (first === last) {
      pool[offset] = 1;
      continue;
    }
    const lo = meta[at + LO]!;
    const limbs = meta[at + LIMBS]!;
    for (let e = first; e < last; e++) {
      const c = child[e]! * META;
      const childLimbs = belowMeta[c + LIMBS]!;
      const source = belowMeta[c + OFFSET]!;
      const times = move[e]! & 15;
      const into = offset + (belowMeta[c + LO]! + (move[e]! >> 4) - lo) * limbs;
      const count = belowMeta[c + LEN]!;
      if (limbs === 1) {
        // Most states, all but those near the start, fit one limb: the plain loop is the hot one.
        for (let k = 0; k < count; k++) pool[into + k]! += belowPool[source + k]! * times;
        continue;
      }
      // At most 8 threads, so at most 8 × 2^46 per limb before carrying: exact in a double.
      for (let k = 0; k < count; k++) {
        for (let l = 0; l < childLimbs; l++) pool[into + k * limbs + l]! += belowPool[source + k * childLimbs + l]! * times;
      }
    }
    if (!normalise(pool, offset, meta[at + LEN]!, limbs)) throw new InconsistentModelError('a count outgrew its limbs');
  }
}
