import type { MemoryModel } from './model.js';
import { sc } from './sc.js';
import { tso } from './tso.js';

// The models of memory the engines know, by name. A new one is its module and one entry here.

export const MEMORY_MODELS: Readonly<Record<string, MemoryModel>> = { sc, tso };

export const MEMORY_MODEL_NAMES: readonly string[] = Object.keys(MEMORY_MODELS);

/** The model called `name`, or undefined. */
export function memoryModelNamed(name: string): MemoryModel | undefined {
  return Object.hasOwn(MEMORY_MODELS, name) ? MEMORY_MODELS[name] : undefined;
}

/** What --memory-model takes: one model, or both side by side. */
export const MEMORY_MODEL_CHOICES = [...MEMORY_MODEL_NAMES, 'both'] as const;
