import type { Worker } from 'node:worker_threads';
import { WorkerFailedError } from '../errors.js';

/** A worker needs a few MiB; this bounds one that runs away. */
export const WORKER_HEAP_MB = 64;

/** What the caller can tell about a thread from the shared memory. */
export interface ThreadLook {
  isDone(thread: number): boolean;
  /** What the shared memory says of a failed thread ("it held the lock"), or ''. */
  note?(thread: number): string;
}

/** What every worker is told: at least which thread it is (1-based). */
export interface CrewJob {
  readonly thread: number;
}

/**
 * The workers of one run. They are started one at a time with a turn of the event loop between them:
 * a Worker's constructor blocks for about 16 ms here, so 256 started at once would hold off a signal or
 * a timeout for seconds. `finished` resolves when every worker has exited cleanly and rejects on the
 * first failure: an uncaught error, a non-zero exit, or an exit before the worker said it was done.
 */
export class Crew {
  readonly finished: Promise<void>;
  /** Rejects with the first failure; never resolves. For racing against steps that are not the end. */
  readonly failed: Promise<never>;
  private readonly workers: Worker[] = [];
  private stopped = false;
  private readonly spawning: Promise<void>;

  private constructor(entry: URL, jobs: readonly CrewJob[], look: ThreadLook, onSpawned: (() => void) | undefined) {
    let fail: (error: unknown) => void = () => undefined;
    this.failed = new Promise<never>((_, reject) => (fail = reject));
    const exits: Promise<void>[] = [];
    this.spawning = (async () => {
      // Loaded when the first crew starts, not with the CLI: `--help` never needs it.
      const { Worker } = await import('node:worker_threads');
      for (const job of jobs) {
        if (this.stopped) return;
        const worker = startWorker(Worker, entry, job);
        this.workers.push(worker);
        const exit = watch(worker, job.thread, look);
        exit.catch(fail);
        exits.push(exit);
        await new Promise((resolve) => setImmediate(resolve));
      }
      onSpawned?.();
    })();
    this.finished = this.spawning.then(() => Promise.all(exits)).then(() => undefined);
    // Whoever awaits these sees the failure; this only keeps an early one from going unhandled.
    this.finished.catch(() => undefined);
    this.failed.catch(() => undefined);
  }

  /**
   * Starts one worker per job at `entry` (a compiled module next to the caller's). `look.isDone(thread)`
   * tells whether a worker that exited with code 0 had really finished its work.
   */
  static start(entry: URL, jobs: readonly CrewJob[], look: ThreadLook, onSpawned?: () => void): Crew {
    return new Crew(entry, jobs, look, onSpawned);
  }

  /** Starts no more workers and stops every one still running; safe to call more than once. */
  async terminate(): Promise<void> {
    this.stopped = true;
    await this.spawning;
    await Promise.allSettled(this.workers.map((worker) => worker.terminate()));
  }
}

function startWorker(Worker: typeof import('node:worker_threads').Worker, entry: URL, job: CrewJob): Worker {
  // The workers run compiled JavaScript: they need none of the parent's loader flags (under tsx,
  // inheriting them costs each worker about 180 ms to start its own loader). A heap limit makes a
  // runaway worker fail alone instead of taking the process down.
  return new Worker(entry, { workerData: job, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
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
