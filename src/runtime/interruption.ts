import { InterruptedError, type PartialProgress } from '../errors.js';

export interface Interruption {
  /** Rejects with an InterruptedError when the signal aborts; never resolves. */
  readonly promise: Promise<never>;
  dispose(): void;
}

/** Turns an AbortSignal into a rejection that carries how far the run had got. */
export function watchForInterruption(signal: AbortSignal | undefined, progress: () => PartialProgress): Interruption {
  let dispose = (): void => undefined;
  const promise = new Promise<never>((_, reject) => {
    if (!signal) return;
    const onAbort = (): void => reject(new InterruptedError(signalName(signal.reason), progress()));
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
