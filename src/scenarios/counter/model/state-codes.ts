import { PlainMemory } from '../../../core/memory/sc.js';
import type { Size, ThreadState } from '../../../core/scenario.js';
import { InconsistentModelError } from '../../../errors.js';
import { COUNTER, LOCK } from '../cells.js';
import { MultisetKeys } from './multiset-keys.js';
import { STEPS_PER_INCREMENT, stepsPerThread, takeStep, usesRegister } from '../steps.js';

/**
 * How the counter's step model names a thread's state. Its *code* is its pc and, while it holds a read,
 * that read relative to the counter, numbered densely: increment after increment, each of an
 * increment's steps in turn, a step that holds a read taking one code per possible relative read.
 *
 * Every increment does the same, so a code's behaviour depends only on its *offset* in its increment:
 * the tables below are one increment long.
 */
export class StateCodes {
  /** Codes per increment. */
  readonly width: number;
  /** The code of a thread that is done: past every increment. */
  readonly doneCode: number;
  /** The keys of states: multisets of `doneCode + 1` codes. */
  readonly keys: MultisetKeys;
  /** Per offset: whether the thread holds a read (a write of the counter shifts its code). */
  readonly holds: Uint8Array;
  /** Per offset: whether the thread holds the lock. */
  readonly locks: Uint8Array;
  /** Per offset: how the mover's code changes with its step, relative to the counter after it. */
  readonly step: Int32Array;
  /** Per offset: how much the step moves the counter. */
  readonly shift: Int32Array;
  /** Per offset: whether the step waits while another thread holds the lock. */
  readonly blocks: Uint8Array;
  private readonly total: number;
  private readonly period: number;
  private readonly steps: number;
  /** Per step of an increment: its first code in the increment, and whether it holds a read. */
  private readonly phaseStart: Int32Array;
  private readonly phaseHolds: boolean[];

  constructor(mode: string, { threads, iters }: Size) {
    const kinds = STEPS_PER_INCREMENT[mode]!;
    this.total = threads * iters;
    this.period = kinds.length;
    this.steps = stepsPerThread(mode, iters);
    const relBase = 2 * this.total + 1;
    const holdsAt = kinds.map((kind) => usesRegister(kind));
    this.phaseHolds = holdsAt;
    // A done thread's code is the next increment's first: its first step must hold no read.
    if (holdsAt[0]) throw new InconsistentModelError(`the counter's model needs ${mode}'s first step to hold no read`);
    this.phaseStart = new Int32Array(this.period);
    let width = 0;
    for (let p = 0; p < this.period; p++) {
      this.phaseStart[p] = width;
      width += holdsAt[p] ? relBase : 1;
    }
    this.width = width;
    this.doneCode = iters * width;
    this.holds = new Uint8Array(width);
    this.locks = new Uint8Array(width);
    this.step = new Int32Array(width);
    this.shift = new Int32Array(width);
    this.blocks = new Uint8Array(width);
    const locking = kinds.includes('acquire');
    for (let p = 0; p < this.period; p++) {
      for (let rel = holdsAt[p] ? -this.total : 0; rel <= (holdsAt[p] ? this.total : 0); rel++) {
        const offset = this.phaseStart[p]! + (holdsAt[p] ? rel + this.total : 0);
        this.holds[offset] = holdsAt[p] ? 1 : 0;
        this.locks[offset] = locking && kinds[p] !== 'acquire' ? 1 : 0;
        this.learnStep(mode, p, rel, offset);
      }
    }
    this.keys = new MultisetKeys(this.doneCode + 1, threads);
  }

  /** Whether every state of this size can be named (see MultisetKeys.fit). */
  static fit(mode: string, size: Size): boolean {
    return MultisetKeys.fit(size.iters * widthOf(mode, size) + 1, size.threads);
  }

  /** Bytes of the tables: the keys' and the per-offset ones. */
  static bytes(mode: string, size: Size): number {
    const width = widthOf(mode, size);
    return MultisetKeys.bytes(size.iters * width + 1, size.threads) + width * 11;
  }

  /** The code of a thread at `pc` holding `rel` (its read relative to the counter, if it holds one). */
  codeOf(pc: number, rel: number): number {
    if (pc >= this.steps) return this.doneCode;
    const phase = pc % this.period;
    const start = Math.floor(pc / this.period) * this.width + this.phaseStart[phase]!;
    return this.phaseHolds[phase] ? start + rel + this.total : start;
  }

  /**
   * What a step at (phase, rel) does, found by running the scenario's own takeStep on plain memory: with
   * the counter at 0 and the thread's read relative to it, once with the lock free and once held by another.
   */
  private learnStep(mode: string, phase: number, rel: number, offset: number): void {
    const memory = new PlainMemory(new Int32Array(3), LOCK);
    const state: ThreadState = { pc: phase, register: rel, done: 0 };
    takeStep(mode, 1, state, memory);
    const moved = memory.values[COUNTER]!;
    // The mover's code after the step: pc and read both relative to where they started, in the increment
    // that the step leads into (a last step leads into the next one, a retry back into the same).
    const target = state.pc;
    const increments = Math.floor(target / this.period);
    const targetPhase = target - increments * this.period;
    const after = increments * this.width + this.phaseStart[targetPhase]! + (this.phaseHolds[targetPhase] ? state.register - moved + this.total : 0);
    this.step[offset] = after - offset;
    this.shift[offset] = moved;
    memory.values.fill(0);
    memory.tryLock(2);
    state.pc = phase;
    state.register = rel;
    this.blocks[offset] = takeStep(mode, 1, state, memory).action === 'blocked' ? 1 : 0;
  }
}

/** Codes per increment: one per step, and one per possible relative read for a step that holds one. */
function widthOf(mode: string, { threads, iters }: Size): number {
  return STEPS_PER_INCREMENT[mode]!.reduce((width, kind) => width + (usesRegister(kind) ? 2 * threads * iters + 1 : 1), 0);
}
