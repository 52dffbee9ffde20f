import type { Size } from '../../../core/scenario.js';
import { InconsistentModelError } from '../../../errors.js';
import { stillReaches, type Frontier, type Level, type Space } from './level-graph.js';
import { MultisetKeys } from './multiset-keys.js';
import { STEPS_PER_INCREMENT } from '../steps.js';

/**
 * The counter's chain model, for a mode whose increment is a plain read, then a write of the read + 1
 * (unsafe). The final total is the length of the read-from chain that ends at the last step: the last
 * step is a write of its read + 1, that read saw the write before it (or the first 0), and so on back.
 *
 * Read backward, from the last step to the first, an interleaving tells that chain with very little
 * state: how many steps each thread has left to read back, and whether the chain waits for the next
 * write (of any thread) or for one thread's read (the read of the write it took last). A write read back
 * while the chain waits for a write joins it (+1 to the total), and the chain then waits for that
 * thread's read; that read read back, it waits for a write again. Every other step changes nothing:
 * what happened between a read and its write does not reach the total. So 4 threads × 6 increments take
 * a few thousand states here against 1.3 million in the step model, with the same counts (tested).
 *
 * A thread's code: its steps left × 2, + 1 while the chain waits for its read.
 */
export class ChainSpace implements Space {
  readonly threads: number;
  readonly keys: MultisetKeys;
  readonly root: readonly number[];

  constructor({ threads, iters }: Size) {
    this.threads = threads;
    this.keys = new MultisetKeys(codesFor(iters), threads);
    // Every step still to read back, the chain waiting for its first write.
    this.root = new Array<number>(threads).fill(2 * iters * 2);
  }

  /** Whether the chain tells this mode's totals: its increment is exactly a read, then a write. */
  static tells(mode: string): boolean {
    return STEPS_PER_INCREMENT[mode]?.join() === 'read,write';
  }

  static fit({ threads, iters }: Size): boolean {
    return MultisetKeys.fit(codesFor(iters), threads);
  }

  static bytes({ threads, iters }: Size): number {
    return MultisetKeys.bytes(codesFor(iters), threads);
  }

  expand(size: number, codes: Int32Array, next: Frontier, from: Int32Array): void {
    const T = this.threads;
    const child = new Int32Array(T);
    // Reading a step back changes no other thread's code.
    const lowered = new Uint8Array(T);
    for (let s = 0; s < size; s++) {
      from[s] = next.child.length;
      const at = s * T;
      let waitsForRead = false;
      for (let i = 0; i < T; i++) if (codes[at + i]! & 1) waitsForRead = true;
      for (let i = 0; i < T; i++) {
        const code = codes[at + i]!;
        // Nothing left to read back (codes 0 and 1: 1 cannot happen, a waited read is a step left).
        if (code < 2) continue;
        if (i > 0 && code === codes[at + i - 1]) continue;
        let group = 1;
        while (i + group < T && codes[at + i + group] === code) group++;
        const left = code >> 1;
        // A thread's steps alternate read, write: with an even number left, the one read back is a write.
        const joins = !waitsForRead && (left & 1) === 0 ? 1 : 0;
        // Whether it joins the chain or is the read the chain waited for, its code is its steps left, and the flag.
        const key = this.keys.keyAfterMove(codes, at, i, ((left - 1) << 1) | joins, lowered, 0, child);
        next.addMove(child, key, joins, group);
      }
    }
  }

  /** Read back step by step, following states that can still reach `final`; the schedule is that, reversed. */
  witness(levels: readonly Level[], final: number, which: 'min' | 'max'): number[] {
    const codes = this.root.slice();
    const backward: number[] = [];
    let total = 0;
    for (let d = 1; d < levels.length; d++) {
      const level = levels[d]!;
      const waitsForRead = codes.some((code) => code & 1);
      let chosen = -1;
      // The last threads first: read forward, the schedule then runs thread 1 first wherever it can.
      for (let i = this.threads - 1; i >= 0 && chosen < 0; i--) {
        const left = codes[i]! >> 1;
        if (left === 0) continue;
        const joins = !waitsForRead && (left & 1) === 0 ? 1 : 0;
        const after = codes.slice();
        after[i] = ((left - 1) << 1) | joins;
        if (stillReaches(level, this.keys.keyOfSorted(after.sort((a, b) => a - b)), total + joins, final, which)) {
          chosen = i;
          codes[i] = ((left - 1) << 1) | joins;
          total += joins;
        }
      }
      if (chosen < 0) throw new InconsistentModelError(`no step leads to the total ${final}`);
      backward.push(chosen + 1);
    }
    return backward.reverse();
  }
}

/** Codes of a thread with `iters` increments: 0 … 2 × iters steps left, each with or without the flag. */
function codesFor(iters: number): number {
  return (2 * iters + 1) * 2;
}
