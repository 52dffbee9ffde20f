import type { Exploration, FastModel, Size } from '../../../core/scenario.js';
import { InconsistentModelError } from '../../../errors.js';
import { ChainSpace } from './chain-space.js';
import { LevelGraph, type Outcome, type Space } from './level-graph.js';
import { StateCodes } from './state-codes.js';
import { StepSpace } from './step-space.js';
import { STEPS_PER_INCREMENT } from '../steps.js';

/**
 * The counter's own exact model, a hook (Hooks.model) that a test checks against the generic model:
 * every interleaving of the threads' steps, counted and grouped by final total. Two spaces, one way of
 * counting (level-graph.ts): unsafe mode's totals follow from its read-from chains (chain-space.ts), a
 * few thousand states where the steps take millions; every other mode is counted step by step
 * (step-space.ts).
 */

/** The counter's exploration, and whether a helper thread summed part of it. */
export interface CounterExploration extends Exploration {
  /** 2 when a helper thread summed part of the futures, else 1. */
  readonly threadsUsed: number;
}

/** At most 8 threads: a group of identical threads fits a move's low 4 bits, and limb sums stay exact. */
const MAX_THREADS = 8;

export const counterModel: FastModel = {
  handles: (mode, size) => Object.hasOwn(STEPS_PER_INCREMENT, mode) && size.threads <= MAX_THREADS && (ChainSpace.tells(mode) ? ChainSpace.fit(size) : StateCodes.fit(mode, size)),
  // A key and its table slots (24), its codes (4 a thread), its edges (8 a thread), its futures' record,
  // estimate and reach (32), and a few counts in the pool (8 each).
  bytesPerState: (_mode, size) => 24 + 12 * size.threads + 32 + 64,
  fixedBytes: (mode, size) => (ChainSpace.tells(mode) ? ChainSpace.bytes(size) : StateCodes.bytes(mode, size)),
  explore: (mode, size, maxStates, progress) => exploreCounter(mode, size, maxStates, progress),
};

/** Counts with the chain model where it tells the totals, else step by step. */
export function exploreCounter(mode: string, size: Size, maxStates: number, progress?: Int32Array, parallel?: boolean): CounterExploration {
  if (!counterModel.handles(mode, size)) throw new InconsistentModelError(`the counter's model cannot count ${mode} at ${size.threads} × ${size.iters}`);
  return exploreSpace(ChainSpace.tells(mode) ? new ChainSpace(size) : new StepSpace(mode, size), maxStates, progress, parallel);
}

/** `parallel`: large sizes sum each level's futures on two threads (the results are the same either way). */
export function exploreSpace(space: Space, maxStates: number, progress: Int32Array = new Int32Array(1), parallel = true): CounterExploration {
  const graph = new LevelGraph(space, maxStates, parallel, progress);
  let outcomes: Outcome[];
  try {
    graph.findStates();
    outcomes = graph.computeFutures();
  } finally {
    graph.close();
  }
  const min = outcomes[0]!.final;
  const max = outcomes[outcomes.length - 1]!.final;
  return {
    outcomes,
    statesVisited: graph.statesVisited,
    threadsUsed: graph.threadsUsed,
    min: { final: min, schedule: space.witness(graph.levels, min, 'min') },
    max: { final: max, schedule: space.witness(graph.levels, max, 'max') },
  };
}
