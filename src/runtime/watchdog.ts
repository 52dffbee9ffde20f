import { TimedOutError } from '../errors.js';

export interface Watchdog {
  /** Rejects with a TimedOutError when time runs out; never resolves. */
  readonly promise: Promise<never>;
  dispose(): void;
}

/**
 * A deadline for one run of the workers. `explain()` is asked at the moment it fires, so the message can
 * say what the shared memory showed then (who held the lock, who had not finished).
 */
export function startWatchdog(timeoutMs: number, explain: () => string): Watchdog {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const detail = explain();
      reject(new TimedOutError(timeoutMs, `timed out after ${timeoutMs} ms${detail ? ` ${detail}` : ''}`));
    }, timeoutMs);
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => clearTimeout(timer) };
}
