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
  /**
   * Ends the process by `signal` itself, as it would have ended had nobody handled it: at once, every
   * thread with it, and a shell sees the usual status (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
   */
  die(signal: StopSignal): void;
  now(): number;
}

/**
 * The first SIGINT, SIGTERM or SIGHUP aborts `controller`: the command stops its workers, gives the
 * terminal back and says how far it got, and then the process ends by the signal (`ended`). A second
 * one ends it at once, but not silently; the same signal again within a moment is the first one
 * delivered twice. A signal that arrives after the command has ended still ends it so.
 */
export function handleSignals(target: SignalTarget, controller: AbortController, actions: SignalActions): { ended(): void } {
  let firstAt = 0;
  let ended = false;
  for (const signal of STOP_SIGNALS) {
    target.on(signal, () => {
      // While many workers end, the main thread may run a signal's handler only after the command is over.
      if (ended && !controller.signal.aborted) {
        controller.abort(signal);
        actions.write(`race-demo: interrupted by ${signal} as it finished\n`);
        actions.die(signal);
        return;
      }
      if (!controller.signal.aborted) {
        firstAt = actions.now();
        controller.abort(signal);
        return;
      }
      if (signal === controller.signal.reason && actions.now() - firstAt < REPEAT_WINDOW_MS) return;
      actions.write(`race-demo: ${signal} again: stopped at once, without a summary\n`);
      actions.die(signal);
    });
  }
  return { ended: () => (ended = true) };
}

/** The signal that interrupted the command, where `code` is the exit code it gives: the process then ends by it. */
export function stoppingSignal(controller: AbortController, code: number): StopSignal | null {
  const reason: unknown = controller.signal.reason;
  const signal = STOP_SIGNALS.find((name) => name === reason);
  return controller.signal.aborted && signal !== undefined && exitCodeForSignal(signal) === code ? signal : null;
}
