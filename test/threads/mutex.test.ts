import { describe, expect, it } from 'vitest';
import { Mutex } from '../../dist/index.js';
import { exited, startFixture, until } from '../helpers/workers.js';

const OWNER = 1;
const COUNTER = 2;
const VIOLATIONS = 3;
const READY = 4;
const ACQUIRED = 5;

describe('Mutex', () => {
  it('lets one thread at a time into the critical section under contention', async () => {
    const threads = 8;
    const rounds = 20_000;
    const buffer = new SharedArrayBuffer(64);
    const cells = new Int32Array(buffer);
    const workers = Array.from({ length: threads }, (_, i) =>
      startFixture('mutex-worker.js', { buffer, thread: i + 1, rounds, useLock: true }),
    );
    expect(await Promise.all(workers.map(exited))).toEqual(Array(threads).fill(0));
    expect(cells[VIOLATIONS]).toBe(0);
    expect(cells[COUNTER]).toBe(threads * rounds);
    expect(cells[0]).toBe(0);
    expect(cells[OWNER]).toBe(0);
  });

  it('when the lock is held, a second thread sleeps until unlock wakes it', async () => {
    const buffer = new SharedArrayBuffer(64);
    const cells = new Int32Array(buffer);
    const held = new Mutex(cells, 0);
    held.lock();
    const worker = startFixture('mutex-worker.js', { buffer, thread: 7, rounds: 1, useLock: true });
    // The waiter marks the lock contended (2) just before it sleeps in Atomics.wait.
    await until(cells, 0, 2);
    expect(cells[READY]).toBe(1);
    expect(cells[ACQUIRED]).toBe(0);
    held.unlock();
    await until(cells, ACQUIRED, 7);
    expect(await exited(worker)).toBe(0);
    expect(cells[COUNTER]).toBe(1);
    expect(cells[0]).toBe(0);
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

  it('refuses memory other threads cannot share, and an index outside the array', () => {
    expect(() => new Mutex(new Int32Array(4))).toThrow(TypeError);
    expect(() => new Mutex(new Int32Array(new SharedArrayBuffer(8)), 2)).toThrow(RangeError);
  });
});
