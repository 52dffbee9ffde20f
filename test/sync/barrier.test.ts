import { describe, expect, it } from 'vitest';
import { StartBarrier } from '../../dist/index.js';
import { exited, startFixture, until } from '../helpers/workers.js';

describe('StartBarrier', () => {
  it('releases nobody before every party has arrived; the last to arrive releases everybody', async () => {
    const parties = 6;
    const buffer = new SharedArrayBuffer(64);
    const cells = new Int32Array(buffer);
    const barrier = new StartBarrier(cells, 0, 1);
    const first = Array.from({ length: parties - 1 }, (_, i) => startFixture('barrier-worker.js', { buffer, thread: i, parties }));
    await until(cells, 0, parties - 1);

    const released = barrier.released();
    const early = await Promise.race([released.then(() => 'released'), new Promise((r) => setTimeout(() => r('closed'), 100))]);
    expect(early).toBe('closed');
    expect(Array.from(cells.subarray(4, 4 + parties))).toEqual(Array(parties).fill(0));

    const last = startFixture('barrier-worker.js', { buffer, thread: parties - 1, parties });
    await released;
    expect(await Promise.all([...first, last].map(exited))).toEqual(Array(parties).fill(0));
    // Every worker, once through, saw all parties arrived.
    expect(Array.from(cells.subarray(4, 4 + parties))).toEqual(Array(parties).fill(parties));
  });
});
