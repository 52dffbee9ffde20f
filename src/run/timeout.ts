import type { ModeSpec } from '../core/scenario.js';
import { MAX_TIMEOUT_MS } from '../core/limits.js';

/**
 * The default for how long one run of the workers may take: generous, since it only has to catch a hang.
 * Ten seconds, plus 100 ms per thread for starting it (256 threads took 13.6 s to start here), plus per
 * operation 2 µs (about ten times the slowest mode's cost at a few threads here) — times the threads per
 * CPU for a lock, since with more threads than CPUs a holder can wait a whole time slice for a CPU while
 * the others spin or sleep (256 spinning threads took 17 µs an operation on 2 CPUs) — plus 2 ms per
 * operation when the gap is widened (its sleeps). Where the threads meet every operation, 50 µs an
 * operation instead: a thread waiting at the rendezvous sleeps, and on a busy machine waking it took up to
 * 20 µs a round here (reorder, 2 × 200,000 with four other processes on both CPUs: 2 to 8 s a mode).
 */
export function defaultTimeoutMs(mode: ModeSpec, threads: number, iters: number, cpus: number, widened: boolean): number {
  const operations = threads * iters;
  const crowding = mode.lock ? Math.max(1, threads / cpus) : 1;
  const perOperation = mode.meets ? 0.05 : 0.002 * crowding;
  const ms = 10_000 + threads * 100 + operations * perOperation + (widened ? operations * 2 : 0);
  return Math.min(MAX_TIMEOUT_MS, Math.ceil(ms));
}
