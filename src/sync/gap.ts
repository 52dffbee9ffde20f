/**
 * The widened gap: Atomics.wait with a timeout on a cell nobody notifies, a sleep that gives the CPU to the
 * other threads. A thread's first gap is 5 ms, longer than threads released together start apart (up
 * to a few milliseconds on a busy machine), so the first reads overlap; after that about 100 µs.
 */
export const FIRST_GAP_MS = 5;
export const GAP_MS = 0.1;

const nobody = new Int32Array(new SharedArrayBuffer(4));

/** Sleeps for the gap: `ms` is FIRST_GAP_MS or GAP_MS. */
export function sleepInGap(ms: number): void {
  Atomics.wait(nobody, 0, 0, ms);
}
