import type { Exploration, Size } from '../core/scenario.js';
import { InconsistentModelError, StateLimitError } from '../errors.js';
import { loadScenario } from '../scenarios/registry.js';
import { exploreGeneric } from './generic-model.js';
import { memoryModelNamed } from '../core/memory/models.js';
import { countPreemptions, type Preemptions } from './preemptions.js';

// The exact model's side of its worker, in Node's worker_threads (explore/model-worker.ts) or a
// browser's Web Worker: off the main thread, so that a signal is answered at once (the main thread
// terminates this one) and a heap that runs out fails this thread alone.

export interface ModelJob {
  readonly scenario: string;
  readonly mode: string;
  readonly size: Size;
  readonly maxStates: number;
  readonly maxBytes: number;
  /** Use the scenario's own model where it has one for this size. */
  readonly fast: boolean;
  /** The model of memory, by name (core/memory/models.ts). */
  readonly memoryModel: string;
  /** Also count the interleavings by preemptions, within this many (state, last thread) pairs (0: not at all). */
  readonly preemptionPairs: number;
  /** [0]: states found so far. */
  readonly progress: Int32Array;
}

export type ModelAnswer =
  | { readonly kind: 'done'; readonly exploration: Exploration; readonly model: string; readonly preemptions: Preemptions | null }
  | { readonly kind: 'limit'; readonly limit: 'states' | 'memory'; readonly allowed: number; readonly message: string }
  | { readonly kind: 'error'; readonly name: string; readonly message: string };

/** Counts what `job` asks for: the answer is posted back to whoever started the worker. */
export async function answer({ scenario: ref, mode, size, maxStates, maxBytes, fast, progress, memoryModel, preemptionPairs }: ModelJob): Promise<ModelAnswer> {
  try {
    const scenario = await loadScenario(ref);
    const memory = memoryModelNamed(memoryModel);
    if (!memory) throw new InconsistentModelError(`no model of memory is called ${memoryModel}`);
    const own = fast ? await scenario.hooks?.model?.() : undefined;
    const [exploration, model] = own?.handles(mode, size)
      ? [own.explore(mode, size, maxStates, progress), scenario.name]
      : [exploreGeneric(scenario, mode, size, { maxStates, maxBytes, progress }, memory), 'generic'];
    // Counting by preemptions takes (state, last thread) pairs, and stops past preemptionPairs of them. It is
    // not tried where the generic model's states already say there are too many; a scenario's own model
    // counts states of its own (the counter's chains), which say nothing of the pairs.
    const tryPreemptions = preemptionPairs > 0 && (model !== 'generic' || exploration.statesVisited * size.threads <= preemptionPairs);
    const preemptions = tryPreemptions ? countPreemptions(scenario, mode, size, preemptionPairs) : null;
    // Where an end is values, the measures are keys only this process can read: send the values along.
    const ends = scenario.ends;
    const valued = ends ? { ...exploration, outcomes: exploration.outcomes.map((o) => ({ ...o, values: ends.valuesOf(o.final)! })) } : exploration;
    return { kind: 'done', exploration: valued, model, preemptions };
  } catch (error) {
    if (error instanceof StateLimitError) return { kind: 'limit', limit: error.limit, allowed: error.allowed, message: error.message };
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return { kind: 'error', name, message };
  }
}
