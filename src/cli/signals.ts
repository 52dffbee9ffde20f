import { ExitCode } from './exit-codes.js';

/** A repeat of the same signal this soon is one delivery counted twice (`timeout` signals the process and its group). */
const REPEAT_WINDOW_MS = 200;

export interface SignalTarget {
  on(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

export interface SignalActions {
  write(text: string): unknown;
  exit(code: number): void;
  now(): number;
}

/**
 * The first SIGINT or SIGTERM aborts `controller`: the command stops its workers and says how far it
 * got. A second one ends the process at once, as Node's default would, but not silently; the same
 * signal again within a moment is the first one delivered twice, and changes nothing.
 */
export function handleSignals(target: SignalTarget, controller: AbortController, actions: SignalActions): void {
  let firstAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    target.on(signal, () => {
      if (!controller.signal.aborted) {
        firstAt = actions.now();
        controller.abort(signal);
        return;
      }
      if (signal === controller.signal.reason && actions.now() - firstAt < REPEAT_WINDOW_MS) return;
      actions.write(`race-demo: ${signal} again: stopped at once, without a summary\n`);
      actions.exit(signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted);
    });
  }
}
