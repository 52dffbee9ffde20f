import { InterruptedError, type PartialProgress } from '../errors.js';

export interface Interruption {
  /** Rejects with an InterruptedError when the signal aborts; never resolves. */
  readonly promise: Promise<never>;
  dispose(): void;
}

/**
 * The interruption an engine met last, as it met it (how far it had got): a process that ends by the
 * signal says it at once, while the engine is still ending its workers (cli/start.ts).
 */
let lastInterruption: InterruptedError | null = null;

/** The interruption an engine met last, or null. */
export function interruptionSoFar(): InterruptedError | null {
  return lastInterruption;
}

/** Records `error` as the interruption an engine met, and gives it back. */
export function noteInterruption(error: InterruptedError): InterruptedError {
  lastInterruption = error;
  return error;
}

/** Turns an AbortSignal into a rejection that carries how far the run had got. */
export function watchForInterruption(signal: AbortSignal | undefined, progress: () => PartialProgress): Interruption {
  let dispose = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    if (!signal) return;
    const onAbort = (): void => reject(noteInterruption(new InterruptedError(signalName(signal.reason), progress())));
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    dispose = () => signal.removeEventListener('abort', onAbort);
  });
  promise.catch(() => undefined);
  return { promise, dispose: () => dispose() };
}

/** Throws the InterruptedError of an aborted `signal`, with how far the work had got where that is known. */
export function throwIfInterrupted(signal: AbortSignal | undefined, progress: PartialProgress | null = null): void {
  if (signal?.aborted) throw new InterruptedError(signalName(signal.reason), progress);
}

function signalName(reason: unknown): string {
  return typeof reason === 'string' ? reason : 'abort';
}
