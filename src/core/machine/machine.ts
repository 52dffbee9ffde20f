import type { MemoryModel, ModelMemory } from '../memory/model.js';
import { sc } from '../memory/sc.js';
import type { Scenario, Sightings, Size, StepResult } from '../scenario.js';
import { BLOCKED } from '../scenario.js';
import { programOf, type Program, type ProgramOptions } from './program.js';

/**
 * The machine every model engine drives: the scenario's cells under a model of memory, and each
 * thread's program with its state in words. A *move* is what a scheduler picks: a thread's step (moves
 * 0 … threads − 1), or one of the memory model's own moves after them (TSO's flushes). `take` is the
 * one way to take a move; `save` and `load` put the whole state in a vector and back:
 *
 *   [ the state cells | thread 1's words | … | thread n's words | the memory model's own words ]
 */
export class Machine {
  readonly threads: number;
  readonly memory: ModelMemory;
  /** Words of a state vector. */
  readonly width: number;
  /** Moves of every kind: the threads' steps, then the memory model's own. */
  readonly moves: number;
  readonly program: Program;
  private readonly stateCells: number;
  private readonly words: Int32Array;
  private readonly views: Int32Array[];
  private readonly ownAt: number;

  constructor(
    private readonly setup: {
      readonly program: Program;
      readonly memoryModel: MemoryModel;
      readonly threads: number;
      readonly cellCount: number;
      /** The first cells, all that a state's future depends on: the only ones a vector keeps. */
      readonly stateCells: number;
      readonly lockCell: number;
      /** Puts the starting values in the cells (all are 0 before). */
      init(cells: Int32Array): void;
    },
  ) {
    const { program, threads } = setup;
    this.program = program;
    this.threads = threads;
    this.stateCells = setup.stateCells;
    this.memory = setup.memoryModel.memory(new Int32Array(setup.cellCount), setup.lockCell, threads);
    this.words = new Int32Array(threads * program.width);
    this.views = Array.from({ length: threads }, (_, i) => this.words.subarray(i * program.width, (i + 1) * program.width));
    this.ownAt = this.stateCells + this.words.length;
    this.width = this.ownAt + this.memory.stateWords;
    this.moves = threads + this.memory.ownMoves;
    this.reset();
  }

  /** The machine of `scenario` in `mode` at `size`, under `memoryModel` (default: sequential consistency). */
  static of(scenario: Scenario, mode: string, size: Size, memoryModel: MemoryModel = sc, options: ProgramOptions = {}): Machine {
    return new Machine({
      program: programOf(scenario, mode, size, options),
      memoryModel,
      threads: size.threads,
      cellCount: scenario.cellCount(size),
      stateCells: scenario.stateCells(size),
      lockCell: scenario.lockCell,
      init: (cells) => scenario.init(cells, size),
    });
  }

  /** The cells now (the memory's: under TSO, what the buffers have not yet flushed is not in them). */
  get cells(): Int32Array {
    return this.memory.values;
  }

  /** Back to the start: fresh cells, empty model state, every thread before its first step. */
  reset(): void {
    this.memory.values.fill(0);
    this.setup.init(this.memory.values);
    this.memory.reset();
    this.views.forEach((words, i) => this.program.start(i + 1, words));
  }

  /** Thread `thread`'s words (1-based), as a view. */
  wordsOf(thread: number): Int32Array {
    return this.views[thread - 1]!;
  }

  isDone(thread: number): boolean {
    return this.program.isDone(thread, this.views[thread - 1]!);
  }

  /** Takes `thread`'s next step; null, changing nothing, where it is done. */
  step(thread: number, seen?: Sightings): StepResult | null {
    const words = this.views[thread - 1]!;
    if (this.program.isDone(thread, words)) return null;
    this.memory.current = thread;
    return this.program.step(thread, words, this.memory, seen);
  }

  /**
   * Takes move `move`: 'moved'; 'blocked' where a thread's step found what it needs taken (nothing
   * changed); 'none' where there is no such move now (a thread done, an empty buffer).
   */
  take(move: number): 'moved' | 'blocked' | 'none' {
    if (move >= this.threads) return this.memory.takeOwn(move - this.threads) ? 'moved' : 'none';
    const result = this.step(move + 1);
    if (result === null) return 'none';
    return result.action === BLOCKED ? 'blocked' : 'moved';
  }

  /** Move `move` as a schedule names it: thread t's step is t; the memory model's own, its label (TSO's flush of t is −t). */
  label(move: number): number {
    return move < this.threads ? move + 1 : this.memory.ownMoveLabel(move - this.threads);
  }

  /** The whole state into `vector` from `offset`; with `order`, thread i's words go where thread order[i]'s would (symmetry). */
  // save and load copy word by word: the model calls them for every move of every state, and a state
  // is a few dozen words, where a subarray each time costs more than the copy.
  save(vector: Int32Array, offset = 0, order?: readonly number[]): void {
    const { stateCells, program, words } = this;
    const values = this.memory.values;
    for (let k = 0; k < stateCells; k++) vector[offset + k] = values[k]!;
    const at = offset + stateCells;
    if (order) {
      const width = program.width;
      for (let position = 0; position < order.length; position++) {
        const from = order[position]! * width;
        const to = at + position * width;
        for (let k = 0; k < width; k++) vector[to + k] = words[from + k]!;
      }
    } else {
      for (let k = 0; k < words.length; k++) vector[at + k] = words[k]!;
    }
    this.memory.saveState(vector, offset + this.ownAt);
  }

  /** A state from `vector` at `offset` (the cells past the state cells stay as they are). */
  load(vector: Int32Array, offset = 0): void {
    const { stateCells, words } = this;
    const values = this.memory.values;
    for (let k = 0; k < stateCells; k++) values[k] = vector[offset + k]!;
    const at = offset + stateCells;
    for (let k = 0; k < words.length; k++) words[k] = vector[at + k]!;
    this.memory.loadState(vector, offset + this.ownAt);
  }

  /** Orders threads `a` and `b` (0-based) by their words, for a canonical order of identical threads. */
  compareThreads(a: number, b: number): number {
    const x = this.views[a]!;
    const y = this.views[b]!;
    for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
    return 0;
  }
}
