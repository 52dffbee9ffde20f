import { describe, expect, it } from 'vitest';
import { Mutex } from '../../dist/index.js';
import { COUNTER, DONE_BY, ENTERED, HOLDER, INSIDE, LOCK, READY, VIOLATIONS } from '../fixtures/lock-cells.js';
import { exited, startFixture, until } from '../helpers/workers.js';

/** Runs `threads` real workers through `rounds` critical sections each; resolves with the cells when all have exited. */
async function contend(threads: number, rounds: number, lock: 'mutex' | 'spin' | 'none', spins = 0, lingerMs = 0): Promise<Int32Array> {
  const buffer = new SharedArrayBuffer(64);
  const cells = new Int32Array(buffer);
  const workers = Array.from({ length: threads }, (_, i) => startFixture('mutex-worker.js', { buffer, thread: i + 1, rounds, lock, spins, lingerMs }));
  expect(await Promise.all(workers.map(exited))).toEqual(Array(threads).fill(0));
  return cells;
}

describe('Mutex', () => {
  it.each([
    ['mutex', 0],
    ['mutex', 100],
    ['spin', 0],
  ] as const)('the %s (spins %i) lets one thread at a time into the critical section under contention', async (lock, spins) => {
    const cells = await contend(8, 20_000, lock, spins);
    expect(cells[VIOLATIONS]).toBe(0);
    expect(cells[COUNTER]).toBe(8 * 20_000);
    expect(cells[LOCK]).toBe(0);
    expect(cells[INSIDE]).toBe(0);
  });

  // Without this, a check that could never fire would make the tests above prove nothing. The first
  // thread in waits inside for a second: with no lock one always comes (however busy the CPUs), and the
  // check must see it; with a lock none can, and the wait runs out.
  it('the check does catch two threads in the critical section when there is no lock: a forced overlap', async () => {
    const cells = await contend(2, 1, 'none', 0, 60_000);
    expect(cells[VIOLATIONS]).toBeGreaterThan(0);
    expect(cells[ENTERED]).toBe(2);
  });

  it.each(['mutex', 'spin'] as const)('the same forced overlap finds nobody else inside the %s', async (lock) => {
    const cells = await contend(2, 1, lock, 0, 200);
    expect(cells[VIOLATIONS]).toBe(0);
    expect(cells[COUNTER]).toBe(2);
  });

  it('when the lock is held, a second thread sleeps until unlock wakes it', async () => {
    const buffer = new SharedArrayBuffer(64);
    const cells = new Int32Array(buffer);
    const held = new Mutex(cells, LOCK);
    held.lock();
    expect(cells[HOLDER]).toBe(held.id);
    const worker = startFixture('mutex-worker.js', { buffer, thread: 7, rounds: 1 });
    // The waiter marks the lock contended (2) just before it sleeps in Atomics.wait.
    await until(cells, LOCK, 2);
    expect(cells[READY]).toBe(1);
    expect(cells[DONE_BY]).toBe(0);
    held.unlock();
    await until(cells, DONE_BY, 7);
    expect(await exited(worker)).toBe(0);
    expect(cells[COUNTER]).toBe(1);
    expect(cells[LOCK]).toBe(0);
    expect(cells[HOLDER]).toBe(0);
  });

  it('tryLock takes a free lock and refuses a held one', () => {
    const mutex = Mutex.create();
    expect(mutex.tryLock()).toBe(true);
    expect(mutex.tryLock()).toBe(false);
    mutex.unlock();
    expect(mutex.tryLock()).toBe(true);
    mutex.unlock();
    expect(mutex.cells[0]).toBe(0);
  });

  it('lock(timeoutMs) gives up on a lock held elsewhere after about that long, and takes a free one at once', () => {
    const mine = Mutex.create();
    const other = new Mutex(mine.cells, 0, { id: 99 });
    expect(other.lock()).toBe(true);
    const started = performance.now();
    expect(mine.lock(50)).toBe(false);
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(49);
    expect(mine.lock(0)).toBe(false);
    expect(mine.holder()).toBe(99);
    other.unlock();
    expect(mine.lock(50)).toBe(true);
    expect(mine.holder()).toBe(mine.id);
    mine.unlock();
  });

  it('lock(timeoutMs) gets the lock when the holder lets go in time', async () => {
    const buffer = new SharedArrayBuffer(64);
    const cells = new Int32Array(buffer);
    const worker = startFixture('hold-lock-worker.js', { buffer, holdMs: 30 });
    await until(cells, HOLDER, 5);
    const mutex = new Mutex(cells, LOCK);
    expect(mutex.lock(10_000)).toBe(true);
    mutex.unlock();
    expect(await exited(worker)).toBe(0);
  });

  it('unlock refuses, with a clear error, a lock that is free or held by another thread', () => {
    const mine = Mutex.create({ id: 1 });
    const other = new Mutex(mine.cells, 0, { id: 2 });
    expect(() => mine.unlock()).toThrow('Mutex unlock by 1: the lock is not held');
    other.lock();
    expect(() => mine.unlock()).toThrow('Mutex unlock by 1: the lock is held by 2, not by the caller');
    expect(other.holder()).toBe(2);
    other.unlock();
  });

  it('counts acquisitions, contended ones, sleeps and wake-ups when asked', () => {
    const mutex = Mutex.create({ counting: true });
    for (let i = 0; i < 3; i++) {
      mutex.lock();
      mutex.unlock();
    }
    expect(mutex.tryLock()).toBe(true);
    expect(mutex.lock(1)).toBe(false);
    mutex.unlock();
    expect(mutex.stats).toEqual({ acquisitions: 4, contended: 0, spins: 0, sleeps: 1, wakeups: 0 });
    expect(Mutex.create().stats.acquisitions).toBe(0);
  });

  it('refuses memory other threads cannot share, an index without room for two cells, and bad options', () => {
    expect(() => new Mutex(new Int32Array(4))).toThrow(TypeError);
    expect(() => new Mutex(new Int32Array(new SharedArrayBuffer(8)), 1)).toThrow(RangeError);
    expect(() => Mutex.create({ id: 0 })).toThrow(RangeError);
    expect(() => Mutex.create().lock(-1)).toThrow(RangeError);
  });
});
