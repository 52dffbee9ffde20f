import { UsageError } from '../errors.js';
import { formatInt } from '../text.js';

/**
 * Each worker costs about 6 MiB and 26 ms to start; past a few hundred the run measures thread
 * start-up rather than the race, and 256 keeps the largest run well inside a small machine's memory.
 */
export const MAX_THREADS = 256;

/** The counter is an Int32 cell (Atomics.wait and the mutex need Int32), so totals stop at 2^31 − 1. */
export const MAX_TOTAL = 2 ** 31 - 1;

export const DEFAULT_THREADS = 4;
export const DEFAULT_ITERS = 100_000;

/** Each trial starts fresh workers (about 0.1 s for 4); ten thousand is hours of patience already. */
export const MAX_TRIALS = 10_000;
/** With --until-race and no --trials: the most trials a mode gets. */
export const DEFAULT_UNTIL_RACE_TRIALS = 100;


export function validateThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new UsageError(`--threads ${threads} is invalid: expected an integer from 1 to ${MAX_THREADS}`);
  }
}

export function validateIters(iters: number): void {
  if (!Number.isInteger(iters) || iters < 1 || iters > MAX_TOTAL) {
    throw new UsageError(`--iters ${iters} is invalid: expected an integer from 1 to ${formatInt(MAX_TOTAL)}`);
  }
}

/** Refuse, rather than wrap, a total the 32-bit counter cannot hold. */
export function validateTotal(threads: number, iters: number): void {
  const total = threads * iters;
  if (total > MAX_TOTAL) {
    throw new UsageError(
      `--threads ${threads} × --iters ${formatInt(iters)} = ${formatInt(total)} increments, ` +
        `more than the 32-bit counter holds (${formatInt(MAX_TOTAL)}); ` +
        `with ${threads} threads, --iters can be at most ${formatInt(Math.floor(MAX_TOTAL / threads))}`,
    );
  }
}

export function validateTrials(trials: number): void {
  if (!Number.isInteger(trials) || trials < 1 || trials > MAX_TRIALS) {
    throw new UsageError(`--trials ${trials} is invalid: expected an integer from 1 to ${formatInt(MAX_TRIALS)}`);
  }
}

/** A day: longer than any run this tool should be asked for, short enough to be a number of ms. */
export const MAX_TIMEOUT_MS = 86_400_000;

/**
 * Ten seconds, plus 100 ms per thread for starting it (256 threads took 13.6 s to start here), plus
 * 2 µs per increment (about ten times what the slowest mode, the contended lock, takes here), plus 2 ms
 * per increment when the gap is widened (its sleeps).
 */
export function defaultTimeoutMs(threads: number, iters: number, widened: boolean): number {
  const total = threads * iters;
  return Math.min(MAX_TIMEOUT_MS, Math.ceil(10_000 + threads * 100 + total * 0.002 + (widened ? total * 2 : 0)));
}

export function validateTimeout(timeoutMs: number): void {
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new UsageError(`--timeout ${timeoutMs} is invalid: expected an integer number of ms from 1 to ${formatInt(MAX_TIMEOUT_MS)}`);
  }
}

/** The exact model's limb sums stay exact for at most 64 scaled limbs: explore takes at most 8 threads. */
export const MAX_EXPLORE_THREADS = 8;

/** explore refuses sizes past this many states (`--max-states`): 4 × 6 needs 1.3 million. */
export const DEFAULT_MAX_STATES = 2_000_000;

/**
 * The same for the other scenarios, whose model is simpler (no symmetry, a string per state): about
 * 12 µs and 500 bytes a state here, so 300,000 states take some 4 s and 150 MB.
 */
export const DEFAULT_SCENARIO_MAX_STATES = 300_000;

/** The mutex's looks at a taken lock before it sleeps: none, as measured (bench/RESULTS.md). */
export const DEFAULT_LOCK_SPINS = 0;
export const MAX_LOCK_SPINS = 1_000_000;
