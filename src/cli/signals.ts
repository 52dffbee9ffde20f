import { exitCodeForSignal } from './exit-codes.js';

/** A repeat of the same signal this soon is one delivery counted twice (`timeout` signals the process and its group). */
const REPEAT_WINDOW_MS = 200;

/** The signals that stop a command: Ctrl-C, a polite kill, and the terminal closing. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export interface SignalTarget {
  on(signal: StopSignal, listener: () => void): unknown;
}

export interface SignalActions {
  write(text: string): unknown;
  exit(code: number): void;
  now(): number;
}

/**
 * The first SIGINT, SIGTERM or SIGHUP aborts `controller`: the command stops its workers, gives the
 * terminal back and says how far it got. A second one ends the process at once, as Node's default
 * would, but not silently; the same signal again within a moment is the first one delivered twice.
 */
export function handleSignals(target: SignalTarget, controller: AbortController, actions: SignalActions): { ended(): void } {
  let firstAt = 0;
  let ended = false;
  for (const signal of STOP_SIGNALS) {
    target.on(signal, () => {
      // After the command has ended, nothing is left to stop; the signal still decides the exit code. (While
      // many workers end, the main thread may run a signal's handler only after the command is over.)
      if (ended && !controller.signal.aborted) {
        controller.abort(signal);
        actions.write(`race-demo: interrupted by ${signal} as it finished\n`);
        actions.exit(exitCodeForSignal(signal));
        return;
      }
      if (!controller.signal.aborted) {
        firstAt = actions.now();
        controller.abort(signal);
        return;
      }
      if (signal === controller.signal.reason && actions.now() - firstAt < REPEAT_WINDOW_MS) return;
      actions.write(`race-demo: ${signal} again: stopped at once, without a summary\n`);
      actions.exit(exitCodeForSignal(signal));
    });
  }
  return { ended: () => (ended = true) };
}
