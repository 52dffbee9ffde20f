import { PlainMemory } from '../../../core/memory/sc.js';
import type { Size, ThreadState } from '../../../core/scenario.js';
import { InconsistentModelError } from '../../../errors.js';
import { COUNTER, LOCK } from '../cells.js';
import { stillReaches, type Frontier, type Level, type Space } from './level-graph.js';
import type { MultisetKeys } from './multiset-keys.js';
import { StateCodes } from './state-codes.js';
import { stepsPerThread, takeStep } from '../steps.js';

/**
 * The counter's step model: every interleaving of the threads' steps, in any mode. Steps are the
 * counter scenario's own (steps.ts): the codes' table is built by running the same takeStep that the
 * real threads run. Every step only copies values or adds one, so shifting the counter and every read
 * value by d shifts the final total by d: a thread's read is kept relative to the counter, and a
 * step's shift is how much it moves the counter.
 */
export class StepSpace implements Space {
  readonly threads: number;
  readonly keys: MultisetKeys;
  readonly root: readonly number[];
  private readonly steps: number;
  private readonly codes: StateCodes;

  constructor(
    private readonly mode: string,
    size: Size,
  ) {
    this.threads = size.threads;
    this.steps = stepsPerThread(mode, size.iters);
    this.codes = new StateCodes(mode, size);
    this.keys = this.codes.keys;
    // Every thread at its first step, holding no read: code 0.
    this.root = new Array<number>(size.threads).fill(0);
  }

  /** The key of the state where the threads are at `pcs`, holding reads `rels` relative to the counter. */
  keyOf(pcs: ArrayLike<number>, rels: ArrayLike<number>): number {
    const codes = Array.from({ length: this.threads }, (_, i) => this.codes.codeOf(pcs[i]!, rels[i]!));
    return this.keys.keyOfSorted(codes.sort((a, b) => a - b));
  }

  expand(size: number, codes: Int32Array, next: Frontier, from: Int32Array): void {
    const T = this.threads;
    const { width, doneCode, holds, locks, step, shift, blocks } = this.codes;
    const offsets = new Int32Array(T);
    const holding = new Uint8Array(T);
    const child = new Int32Array(T);
    for (let s = 0; s < size; s++) {
      from[s] = next.child.length;
      const at = s * T;
      let lockHeld = false;
      for (let i = 0; i < T; i++) {
        const offset = codes[at + i]! % width;
        offsets[i] = offset;
        holding[i] = holds[offset]!;
        if (locks[offset]) lockHeld = true;
      }
      for (let i = 0; i < T; i++) {
        const code = codes[at + i]!;
        // Codes are sorted and a done thread's is the largest: the rest are done too.
        if (code === doneCode) break;
        // Threads in the same state lead to the same state: take the first, count it for each.
        if (i > 0 && code === codes[at + i - 1]) continue;
        let group = 1;
        while (i + group < T && codes[at + i + group] === code) group++;
        const offset = offsets[i]!;
        if (lockHeld && blocks[offset]) continue;
        // A move of the counter lowers every other held read relative to it, and keeps each within its step's codes.
        const key = this.keys.keyAfterMove(codes, at, i, code + step[offset]!, holding, shift[offset]!, child);
        next.addMove(child, key, shift[offset]!, group);
      }
    }
  }

  /** A schedule of concrete threads that ends at `final`, the smallest or largest reachable total. */
  witness(levels: readonly Level[], final: number, which: 'min' | 'max'): number[] {
    const pcs = new Int32Array(this.threads);
    const regs = new Int32Array(this.threads);
    const rels = new Int32Array(this.threads);
    const memory = new PlainMemory(new Int32Array(3), LOCK);
    const state: ThreadState = { pc: 0, register: 0, done: 0 };
    const schedule: number[] = [];
    // In cas mode interleavings differ in length: the schedule ends when every thread is done.
    for (let d = 1; d < levels.length && pcs.some((pc) => pc < this.steps); d++) {
      const level = levels[d]!;
      let chosen = -1;
      for (let i = 0; i < this.threads && chosen < 0; i++) {
        if (pcs[i]! >= this.steps) continue;
        const saved = { cells: memory.values.slice(), pc: pcs[i]!, reg: regs[i]! };
        state.pc = pcs[i]!;
        state.register = regs[i]!;
        if (takeStep(this.mode, i + 1, state, memory).action === 'blocked') continue;
        pcs[i] = state.pc;
        regs[i] = state.register;
        const counter = memory.values[COUNTER]!;
        for (let j = 0; j < this.threads; j++) rels[j] = regs[j]! - counter;
        if (stillReaches(level, this.keyOf(pcs, rels), counter, final, which)) {
          chosen = i;
        } else {
          memory.values.set(saved.cells);
          pcs[i] = saved.pc;
          regs[i] = saved.reg;
        }
      }
      if (chosen < 0) throw new InconsistentModelError(`no step leads to the total ${final}`);
      schedule.push(chosen + 1);
    }
    return schedule;
  }
}
