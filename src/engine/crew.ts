import { Worker } from 'node:worker_threads';
import { WorkerFailedError } from '../errors.js';

/** A worker needs a few MiB; this bounds one that runs away. */
const WORKER_HEAP_MB = 64;

/** What the caller can tell about a thread from the shared memory. */
export interface ThreadLook {
  isDone(thread: number): boolean;
  note?(thread: number): string;
}

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
   * Starts one worker per job at `entry` (a compiled module next to this one). `look.isDone(thread)`
   * tells whether a worker that exited with code 0 had really finished its work; `look.note(thread)`
   * adds what the shared memory says of a failed thread (that it held the lock, say).
   */
  static start(entry: URL, jobs: readonly CrewJob[], look: ThreadLook): Crew {
    const workers: Worker[] = [];
    const exits = jobs.map((job) => {
      // The workers run compiled JavaScript: they need none of the parent's loader flags (under tsx,
      // inheriting them costs each worker about 180 ms to start its own loader). A heap limit makes a
      // runaway worker fail alone instead of taking the process down.
      const worker = new Worker(entry, {
        workerData: job,
        execArgv: [],
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      });
      workers.push(worker);
      return watch(worker, job.thread, look);
    });
    return new Crew(workers, exits);
  }

  /** Stop every worker still running; safe to call more than once. */
  async terminate(): Promise<void> {
    await Promise.allSettled(this.workers.map((worker) => worker.terminate()));
  }
}

function watch(worker: Worker, thread: number, look: ThreadLook): Promise<void> {
  const fail = (what: string, cause?: unknown) => {
    const note = look.note?.(thread) ?? '';
    return new WorkerFailedError(thread, `thread ${thread} ${what}${note ? ` (${note})` : ''}`, { cause });
  };
  return new Promise((resolve, reject) => {
    worker.once('error', (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        reject(fail(`ran out of memory (its heap is limited to ${WORKER_HEAP_MB} MiB)`, error));
      } else {
        reject(fail(`crashed: ${error.message}`, error));
      }
    });
    worker.once('exit', (code) => {
      if (code !== 0) reject(fail(`exited with code ${code} before finishing`));
      else if (!look.isDone(thread)) reject(fail('exited before finishing its work'));
      else resolve();
    });
  });
}
