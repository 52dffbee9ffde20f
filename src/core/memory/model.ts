import type { WaitsView } from '../locks.js';
import type { Memory } from '../scenario.js';

/**
 * A model of memory: what a load sees, and what moves memory makes of its own beside the threads'
 * steps. One module each (sc.ts, tso.ts); the exact model, the count by preemptions and the schedule
 * runner drive every one of them through the machine (core/machine/machine.ts), which knows none by name.
 *
 * A third model is one more module: its memory keeps whatever state it needs in `stateWords` words of
 * the state vector, answers loads from it, and offers its own moves (a flush, a propagation, a load
 * satisfied early) through `ownMoves` and `takeOwn`. docs/architecture.md says how an ARM-like one would.
 */
export interface MemoryModel {
  /** How the command line and JSON name it: "sc", "tso". */
  readonly name: string;
  /** What it is, for a report: "every interleaving of the steps", "x86-TSO: a store buffer per thread". */
  readonly title: string;
  /** A fresh memory of this model over `values` (the scenario's cells), for `threads` threads. */
  memory(values: Int32Array, lockCell: number, threads: number): ModelMemory;
  /** Words of its own state in a state vector, for `threads` threads (for the memory estimate). */
  stateWords(threads: number): number;
  /** Moves of its own, for `threads` threads (for the memory estimate). */
  ownMoves(threads: number): number;
}

/** A scenario's memory as a model holds it: plain numbers, the locks' waits, and the model's own state. */
export interface ModelMemory extends Memory {
  /** The cells. */
  readonly values: Int32Array;
  /** The thread (1-based) whose step is being taken: whose view a load takes. */
  current: number;
  /** Words of its own state in a state vector. */
  readonly stateWords: number;
  /** How many moves of its own it offers (TSO: a flush per thread). */
  readonly ownMoves: number;
  /** Takes its own move `k` (0-based); false, changing nothing, where that move has nothing to do. */
  takeOwn(k: number): boolean;
  /** Own move `k` as a witness schedule names it: TSO's flush of thread t is −t. */
  ownMoveLabel(k: number): number;
  /** Its own state into `vector` from `offset` (unused words zeroed, so that equal states compare equal), and back. */
  saveState(vector: Int32Array, offset: number): void;
  loadState(vector: Int32Array, offset: number): void;
  /** Back to a fresh start: its own state empty, no thread waiting for a lock. */
  reset(): void;
  /** Who waits for which lock, as the cycle walk sees it. */
  waitsView(): WaitsView;
}
