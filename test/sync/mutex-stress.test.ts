import { describe, expect, it } from 'vitest';
import { COUNTER, LOCK, VIOLATIONS } from '../fixtures/lock-cells.js';
import { exited, startFixture } from '../helpers/workers.js';

/** Runs `threads` real workers through `rounds` lock/unlock each; resolves when all have exited. */
async function contend(threads: number, rounds: number): Promise<Int32Array> {
  const buffer = new SharedArrayBuffer(64);
  const cells = new Int32Array(buffer);
  const workers = Array.from({ length: threads }, (_, i) => startFixture('mutex-worker.js', { buffer, thread: i + 1, rounds }));
  await Promise.all(workers.map(exited));
  return cells;
}

describe('Mutex under stress', () => {
  it('16 threads, 5 trials: never two owners in the critical section', async () => {
    for (let trial = 0; trial < 5; trial++) {
      const cells = await contend(16, 5_000);
      expect(cells[VIOLATIONS]).toBe(0);
      expect(cells[COUNTER]).toBe(16 * 5_000);
    }
  });

  it('every waiter is woken: 10 trials of 8 threads × 20,000 handoffs all finish', async () => {
    // A lost wake-up (notify racing with wait) would leave a thread asleep forever and this never
    // resolving; the deadline is many times what the trials take here (well under a second each).
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('a waiter was never woken')), 60_000);
    });
    const trials = (async () => {
      for (let trial = 0; trial < 10; trial++) {
        const cells = await contend(8, 20_000);
        expect(cells[COUNTER]).toBe(8 * 20_000);
        expect(cells[LOCK]).toBe(0);
      }
    })();
    try {
      await Promise.race([trials, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }, 90_000);
});
