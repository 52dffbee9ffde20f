import { parentPort, workerData } from 'node:worker_threads';
import type { Exploration, Size } from '../core/scenario.js';
import { StateLimitError } from '../errors.js';
import { loadScenario } from '../scenarios/registry.js';
import { exploreGeneric, type MemoryModel } from './generic-model.js';

// The exact model runs here, off the main thread, so that a signal is answered at once (the main
// thread terminates this one) and a heap that runs out fails this thread alone.

export interface ModelJob {
  readonly scenario: string;
  readonly mode: string;
  readonly size: Size;
  readonly maxStates: number;
  readonly maxBytes: number;
  /** Use the scenario's own model where it has one for this size. */
  readonly fast: boolean;
  readonly memoryModel: MemoryModel;
  /** [0]: states found so far. */
  readonly progress: Int32Array;
}

export type ModelAnswer =
  | { readonly kind: 'done'; readonly exploration: Exploration; readonly model: string }
  | { readonly kind: 'limit'; readonly limit: 'states' | 'memory'; readonly allowed: number; readonly message: string }
  | { readonly kind: 'error'; readonly name: string; readonly message: string };

const job = workerData as ModelJob;
parentPort!.postMessage(await answer(job));

async function answer({ scenario: ref, mode, size, maxStates, maxBytes, fast, progress, memoryModel }: ModelJob): Promise<ModelAnswer> {
  try {
    const scenario = await loadScenario(ref);
    const own = fast ? await scenario.hooks?.model?.() : undefined;
    if (own?.handles(mode, size)) return { kind: 'done', exploration: own.explore(mode, size, maxStates, progress), model: scenario.name };
    return { kind: 'done', exploration: exploreGeneric(scenario, mode, size, { maxStates, maxBytes, progress }, memoryModel), model: 'generic' };
  } catch (error) {
    if (error instanceof StateLimitError) return { kind: 'limit', limit: error.limit, allowed: error.allowed, message: error.message };
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return { kind: 'error', name, message };
  }
}
