import { CELLS_PER_LOCK } from '../../core/locks.js';
import type { Size } from '../../core/scenario.js';
import { inRounds, type PlainTest, type TestCells } from './test.js';

/**
 * Where a plain test's values live in the cells. In rounds (a test with outcomes), every round has cells
 * of its own, each variable's and each register's rounds side by side in a block: nothing is reset
 * between rounds and no thread reads another round's stale value. Otherwise (an invariant) the threads
 * share one cell per variable across all their operations, and a register keeps its last value.
 *
 *   [ arrived | sleepers | the locks' cells | variables' blocks | registers' blocks ]
 */
export class TestLayout implements TestCells {
  /** Threads that have reached the rendezvous, over all rounds: each adds 1 per round. */
  static readonly ARRIVED = 0;
  /** Threads asleep at the rendezvous: the one that arrives last wakes them. */
  static readonly SLEEPERS = 1;
  static readonly LOCK_CELL = 2;

  /** Cells per variable and per register: one per round, or one. */
  readonly rounds: number;
  readonly cellCount: number;
  private readonly variablesAt: number;
  private readonly registersAt: number;

  constructor(
    readonly test: PlainTest,
    readonly size: Size,
  ) {
    this.rounds = inRounds(test) ? size.iters : 1;
    this.variablesAt = TestLayout.LOCK_CELL + CELLS_PER_LOCK * TestLayout.lockCount(test);
    this.registersAt = this.variablesAt + test.variables.length * this.rounds;
    this.cellCount = this.registersAt + test.registers.length * this.rounds;
  }

  /** Locks laid out: at least one, whose holder cell a fence uses on real threads. */
  static lockCount(test: PlainTest): number {
    return Math.max(1, test.locks);
  }

  /** The cells a test needs at `size`, before laying them out: for the limit on rounds. */
  static cellsPerRound(test: PlainTest): number {
    return test.variables.length + test.registers.length;
  }

  /** Variable `variable`'s cell in round `round` (0-based; 0 outside rounds). */
  variable(variable: number, round: number): number {
    return this.variablesAt + variable * this.rounds + (this.rounds === 1 ? 0 : round);
  }

  /** Register `register`'s cell in round `round`. */
  register(register: number, round: number): number {
    return this.registersAt + register * this.rounds + (this.rounds === 1 ? 0 : round);
  }

  /** The variables' start values, in every round. */
  init(cells: Int32Array): void {
    this.test.variables.forEach((variable, v) => {
      if (variable.start !== 0) cells.fill(variable.start, this.variable(v, 0), this.variable(v, 0) + this.rounds);
    });
  }

  /** Round `round`'s end as its values, by name (registers, then variables). */
  valuesOf(cells: Int32Array, round: number): Record<string, number> {
    const values: Record<string, number> = {};
    this.test.registers.forEach((register, j) => (values[register.name] = cells[this.register(j, round)]!));
    this.test.variables.forEach((variable, v) => (values[variable.name] = cells[this.variable(v, round)]!));
    return values;
  }
}
