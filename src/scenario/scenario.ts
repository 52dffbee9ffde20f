import type { Mode } from '../modes.js';

/**
 * What a scenario is: one module (src/scenario/<name>.ts) with its shared cells, its steps, its expected
 * result and invariant, and its explanation. `run` (free-running real threads), `replay` (real threads
 * through the turnstile) and `explore` (the exact model) all execute its `step`; adding a scenario is
 * one file and one line in registry.ts.
 */

/** The shared cells a step touches: a SharedArrayBuffer on real threads, plain numbers in the model. */
export interface Cells {
  load(index: number): number;
  store(index: number, value: number): void;
  /** Indivisible: adds and returns the value before. */
  fetchAdd(index: number, value: number): number;
  /** Indivisible: writes `value` only if the cell holds `expected`; returns what it held. */
  compareExchange(index: number, expected: number, value: number): number;
  /** Takes the scenario's lock for `thread`; false if another holds it (free-running threads wait instead). */
  tryLock(thread: number): boolean;
  unlock(): void;
  /** The thread holding the lock, 0 when free. */
  holder(): number;
}

/** What a thread carries between steps: where it is, the value it last read, and how many operations it finished. */
export interface ProgramState {
  pc: number;
  register: number;
  done: number;
}

/** One step as the trace shows it: `blocked` when the lock was taken (the thread did not move). */
export interface Step {
  readonly action: string;
  readonly value: number | null;
}

/** The threads, the operations per thread, and where the scenario's cells start in the shared memory. */
export interface Size {
  readonly threads: number;
  readonly iters: number;
}

/** How a run ended, in the scenario's own terms. */
export interface ScenarioOutcome {
  readonly expected: number;
  readonly actual: number;
  /** expected − actual where that means updates lost; null where it does not. */
  readonly lost: number | null;
  /** Whether the scenario's invariant held. */
  readonly ok: boolean;
  /** The scenario's own JSON fields (`missingItems`, `overdrawn`, …). */
  readonly details: Readonly<Record<string, unknown>>;
  /** What happened, in plain sentences, for the human report. */
  readonly lines: readonly string[];
}

export interface Scenario {
  readonly name: string;
  /** One line: what the threads do. */
  readonly summary: string;
  /** The modes it has: the race, and its fixes. */
  readonly modes: readonly Mode[];
  /** What `actual` counts, and what the one cell shown after each replayed step is. */
  readonly measure: string;
  readonly watch: { readonly label: string; readonly cell: number };
  /** The lock's two cells (a Mutex on real threads). */
  readonly lockCell: number;
  /** How many Int32 cells it needs; of those, the first `stateCells` are all a step's future depends on. */
  cellCount(size: Size): number;
  stateCells(size: Size): number;
  /** Puts the starting values in the cells (all are 0 before). */
  init(cells: Int32Array, size: Size): void;
  /** Takes `thread`'s next step (1-based thread); the state moves on unless it was blocked. */
  step(mode: Mode, thread: number, state: ProgramState, cells: Cells, size: Size): Step;
  /** Whether the thread has finished all its operations. */
  isDone(mode: Mode, state: ProgramState, size: Size): boolean;
  /** The number the model groups interleavings by, and that `actual` reports. */
  measureOf(cells: Int32Array, size: Size): number;
  /** Whether a run that ends with this measure broke the invariant (the model's verdict counts these). */
  breaks(measure: number, size: Size): boolean;
  /** What a broken end means, for the verdict: "end with items missing". */
  readonly broken: string;
  /** The result in the scenario's terms, from the cells at the end. */
  outcome(mode: Mode, cells: Int32Array, size: Size): ScenarioOutcome;
  /** A note for a replayed step, from the cells before and after it ('' for none): "overwrites item 1.1". */
  annotate?(step: Step, before: Int32Array, after: Int32Array, size: Size): string;
  /** Per mode, why it ends as it does. */
  readonly explanations: Readonly<Partial<Record<Mode, string>>>;
  /** The most operations per run it allows (its cells grow with them). */
  readonly maxTotal: number;
}

/** Cells over a plain Int32Array with the lock as a number: the model's memory, and the checks'. */
export class PlainCells implements Cells {
  owner = 0;
  constructor(
    readonly values: Int32Array,
    private readonly lockCell: number,
  ) {}

  load(index: number): number {
    return this.values[index]!;
  }
  store(index: number, value: number): void {
    this.values[index] = value;
  }
  fetchAdd(index: number, value: number): number {
    const before = this.values[index]!;
    this.values[index] = before + value;
    return before;
  }
  compareExchange(index: number, expected: number, value: number): number {
    const found = this.values[index]!;
    if (found === expected) this.values[index] = value;
    return found;
  }
  tryLock(thread: number): boolean {
    if (this.owner !== 0) return false;
    this.owner = thread;
    this.values[this.lockCell + 1] = thread;
    return true;
  }
  unlock(): void {
    this.owner = 0;
    this.values[this.lockCell + 1] = 0;
  }
  holder(): number {
    return this.owner;
  }
}

export function newState(): ProgramState {
  return { pc: 0, register: 0, done: 0 };
}
