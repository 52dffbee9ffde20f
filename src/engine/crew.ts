import { Worker } from 'node:worker_threads';
import { WorkerFailedError } from '../errors.js';

/** What every worker is told: at least which thread it is (1-based). */
export interface CrewJob {
  readonly thread: number;
}

/**
 * The workers of one run. `finished` resolves when every worker has exited cleanly and rejects on the
 * first failure: an uncaught error, a non-zero exit, or an exit before the worker said it was done.
 */
export class Crew {
  readonly finished: Promise<void>;
  /** Rejects with the first failure; never resolves. For racing against steps that are not the end. */
  readonly failed: Promise<never>;
  private readonly workers: Worker[];

  private constructor(workers: Worker[], exits: Promise<void>[]) {
    this.workers = workers;
    this.finished = Promise.all(exits).then(() => undefined);
    this.failed = this.finished.then(() => new Promise<never>(() => undefined));
    // Whoever awaits these sees the failure; this only keeps an early one from going unhandled.
    this.finished.catch(() => undefined);
    this.failed.catch(() => undefined);
  }

  /**
   * Starts one worker per job at `entry` (a compiled module next to this one). `isDone(thread)` tells
   * whether a worker that exited with code 0 had really finished its work.
   */
  static start(entry: URL, jobs: readonly CrewJob[], isDone: (thread: number) => boolean): Crew {
    const workers: Worker[] = [];
    const exits = jobs.map((job) => {
      // The workers run compiled JavaScript: they need none of the parent's loader flags (under tsx,
      // inheriting them costs each worker about 180 ms to start its own loader).
      const worker = new Worker(entry, { workerData: job, execArgv: [] });
      workers.push(worker);
      return watch(worker, job.thread, isDone);
    });
    return new Crew(workers, exits);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Stop every worker still running; safe to call more than once. */
  async terminate(): Promise<void> {
    await Promise.allSettled(this.workers.map((worker) => worker.terminate()));
  }
}

function watch(worker: Worker, thread: number, isDone: (thread: number) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    worker.once('error', (error: Error) => {
      reject(new WorkerFailedError(thread, `thread ${thread} crashed: ${error.message}`, { cause: error }));
    });
    worker.once('exit', (code) => {
      if (code !== 0) {
        reject(new WorkerFailedError(thread, `thread ${thread} exited with code ${code} before finishing`));
      } else if (!isDone(thread)) {
        reject(new WorkerFailedError(thread, `thread ${thread} exited before finishing its increments`));
      } else {
        resolve();
      }
    });
  });
}
