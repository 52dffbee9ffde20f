import { Worker } from 'node:worker_threads';
import { afterEach } from 'vitest';

const started = new Set<Worker>();
const exits = new WeakMap<Worker, Promise<number>>();

/** Starts a fixture worker from test/fixtures; every one is terminated after each test. */
export function startFixture(name: string, workerData: unknown): Worker {
  const worker = new Worker(new URL(`../fixtures/${name}`, import.meta.url), { workerData });
  started.add(worker);
  // Listen from the start: a worker can finish before the test gets round to asking.
  const exit = new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.once('exit', (code) => {
      started.delete(worker);
      resolve(code);
    });
  });
  exit.catch(() => undefined);
  exits.set(worker, exit);
  return worker;
}

/** The worker's exit code; rejects if it threw. */
export function exited(worker: Worker): Promise<number> {
  const exit = exits.get(worker);
  if (!exit) throw new Error('exited() takes a worker from startFixture()');
  return exit;
}

/**
 * Resolves when `cells[index]` reaches `value`, polling every few milliseconds up to `timeoutMs`.
 * Polling on purpose: on Node 20, an Atomics.waitAsync timeout does not always fire (seen when the
 * writer exits without notifying), and these cells are written without Atomics.notify.
 */
export async function until(cells: Int32Array, index: number, value: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Atomics.load(cells, index) !== value) {
    if (Date.now() > deadline) throw new Error(`cell ${index} stayed at ${Atomics.load(cells, index)}, expected ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

afterEach(async () => {
  await Promise.all([...started].map((worker) => worker.terminate()));
  started.clear();
});
