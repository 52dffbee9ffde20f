import { TestError, WorkerFailedError } from '../errors.js';
import { currentPlatform } from './current-platform.js';
import type { PlatformWorker } from './platform.js';

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
  private readonly workers: PlatformWorker[] = [];
  private stopped = false;
  private readonly spawning: Promise<void>;

  private constructor(jobs: readonly CrewJob[], look: ThreadLook, onSpawned: (() => void) | undefined) {
    let fail: (error: unknown) => void = () => undefined;
    this.failed = new Promise<never>((_, reject) => (fail = reject));
    const exits: Promise<void>[] = [];
    this.spawning = (async () => {
      // Loaded when the first crew starts, not with the CLI: `--help` never needs it.
      const platform = await currentPlatform();
      for (const job of jobs) {
        if (this.stopped) return;
        const worker = platform.spawn('thread', job, WORKER_HEAP_MB);
        this.workers.push(worker);
        const exit = watch(worker, job.thread, look);
        exit.catch(fail);
        exits.push(exit);
        await nextTurn();
      }
      onSpawned?.();
    })();
    this.finished = this.spawning.then(() => Promise.all(exits)).then(() => undefined);
    // Whoever awaits these sees the failure; this only keeps an early one from going unhandled.
    this.finished.catch(() => undefined);
    this.failed.catch(() => undefined);
  }

  /**
   * Starts one thread worker per job (runtime/thread.ts). `look.isDone(thread)` tells whether a worker
   * that exited with code 0 had really finished its work.
   */
  static start(jobs: readonly CrewJob[], look: ThreadLook, onSpawned?: () => void): Crew {
    return new Crew(jobs, look, onSpawned);
  }

  /**
   * Starts no more workers and stops every one still running; safe to call more than once. It resolves
   * once every thread has ended, or, once `signal` aborts, as soon as each has been told to: its
   * JavaScript stops at once, but ending a thread that is still starting can take a second on a busy
   * machine, which an interrupted run does not wait for (the CLI's process ends by the signal).
   */
  async terminate(signal?: AbortSignal): Promise<void> {
    this.stopped = true;
    await this.spawning;
    const ends: Promise<unknown>[] = [];
    for (const [i, worker] of this.workers.entries()) {
      ends.push(worker.terminate());
      // Each call holds the main thread a moment: a signal that arrives meanwhile is answered between
      // batches, and once it has, the rest are told at once.
      if (i % TERMINATE_BATCH === TERMINATE_BATCH - 1 && !signal?.aborted) await nextTurn();
    }
    await Promise.race([Promise.allSettled(ends), abortedPromise(signal)]);
  }
}

/** Workers told to terminate between two turns of the event loop. */
const TERMINATE_BATCH = 16;

/** Resolves when `signal` aborts (at once if it has); never without one. */
function abortedPromise(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** A turn of the event loop: Node's setImmediate, or a browser's zero timeout. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

function watch(worker: PlatformWorker, thread: number, look: ThreadLook): Promise<void> {
  const fail = (what: string, cause?: unknown) => {
    const note = look.note?.(thread) ?? '';
    return new WorkerFailedError(thread, `thread ${thread} ${what}${note ? ` (${note})` : ''}`, { cause });
  };
  return new Promise((resolve, reject) => {
    worker.onError((error) => {
      // A test's own thread that threw or went another way is the test's fault, as it would be on the model.
      if (error.code === 'ERR_TEST') {
        reject(new TestError(error.message));
      } else if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        reject(fail(`ran out of memory (its heap is limited to ${WORKER_HEAP_MB} MiB)`, error));
      } else {
        reject(fail(`crashed: ${error.message}`, error));
      }
    });
    worker.onExit((code) => {
      if (code !== 0) reject(fail(`exited with code ${code} before finishing`));
      else if (!look.isDone(thread)) reject(fail('exited before finishing its work'));
      else resolve();
    });
  });
}
