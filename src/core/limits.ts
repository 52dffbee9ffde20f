import { UsageError } from '../errors.js';
import { modeNames, modeOf, type Scenario, type Size } from './scenario.js';
import { formatInt } from './text.js';

/**
 * Each worker costs about 6 MiB and 26 ms to start; past a few hundred the run measures thread
 * start-up rather than the race, and 256 keeps the largest run well inside a small machine's memory.
 */
export const MAX_THREADS = 256;

/** Cells are Int32 (Atomics.wait and the mutex need Int32), so no count may pass 2^31 − 1. */
export const MAX_INT32 = 2 ** 31 - 1;

export const DEFAULT_THREADS = 4;
export const DEFAULT_ITERS = 100_000;

/** Each trial starts fresh workers (about 0.1 s for 4); ten thousand is hours of patience already. */
export const MAX_TRIALS = 10_000;
/** With untilRace and no trials: the most trials a mode gets. */
export const DEFAULT_UNTIL_RACE_TRIALS = 100;

/** explore refuses sizes past this many states unless told otherwise: counter 4 × 6 needs 1.3 million. */
export const DEFAULT_MAX_STATES = 2_000_000;
export const MAX_MAX_STATES = 100_000_000;

/** A day: longer than any run this tool should be asked for, short enough to be a number of ms. */
export const MAX_TIMEOUT_MS = 86_400_000;

export function validateThreads(threads: number, max = MAX_THREADS): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > max) {
    throw new UsageError(`{threads} ${threads} is invalid: expected an integer from 1 to ${formatInt(max)}`);
  }
}

export function validateIters(iters: number): void {
  if (!Number.isInteger(iters) || iters < 1 || iters > MAX_INT32) {
    throw new UsageError(`{iters} ${iters} is invalid: expected an integer from 1 to ${formatInt(MAX_INT32)}`);
  }
}

/** Threads, operations per thread, and their product against what the scenario's cells can hold; `use`: who takes it. */
export function validateSize(scenario: Scenario, size: Size, use: 'run' | 'steps' = 'run'): void {
  validateThreads(size.threads);
  validateIters(size.iters);
  const problem = scenario.sizeProblem?.(size, use) ?? null;
  if (problem !== null) throw new UsageError(`{threads} ${size.threads} × {iters} ${formatInt(size.iters)} does not fit the ${scenario.name} scenario: ${problem}`);
  const total = size.threads * size.iters;
  if (total > scenario.maxTotal) {
    throw new UsageError(
      `{threads} ${size.threads} × {iters} ${formatInt(size.iters)} = ${formatInt(total)} ${scenario.operation}s, more than the ` +
        `${scenario.name} scenario takes (${formatInt(scenario.maxTotal)}); with ${size.threads} threads, {iters} can be at most ` +
        formatInt(Math.floor(scenario.maxTotal / size.threads)),
    );
  }
}

/** Every name must be one of the scenario's modes. `field` is the option that named them. */
export function validateModes(scenario: Scenario, modes: readonly string[], field = 'modes'): void {
  if (modes.length === 0) throw new UsageError(`{${field}} needs at least one of ${modeNames(scenario).join(', ')}`);
  const unknown = modes.find((mode) => modeOf(scenario, mode) === undefined);
  if (unknown !== undefined) {
    throw new UsageError(`{${field}} '${unknown}' is not a mode of the ${scenario.name} scenario: expected ${modeNames(scenario).join(', ')}`);
  }
}

export function validateTimeout(timeoutMs: number): void {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new UsageError(`{timeoutMs} ${timeoutMs} is invalid: expected an integer number of ms from 1 to ${formatInt(MAX_TIMEOUT_MS)}`);
  }
}
