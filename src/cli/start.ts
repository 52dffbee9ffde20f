import { ExitCode, exitCodeForSignal } from './exit-codes.js';
import { describeFailure, main } from './main.js';
import { interruptionSoFar } from '../runtime/interruption.js';
import { describeWriteError, guardOutput } from './output.js';
import { handleSignals, STOP_SIGNALS, stoppingSignal, type StopSignal } from './signals.js';

// The process-level wiring that main() stays free of: signals, failed writes, the exit code.
// Nothing here loads chalk: `--help` never colours, and chalk's start-up is a tenth of its time.

const stdout = guardOutput(process.stdout);
const stderr = guardOutput(process.stderr);
const controller = new AbortController();
const signals = handleSignals(process, controller, { write: (text) => stderr.write(text), die, now: () => performance.now() });

// The moment an engine has met the signal it knows how far it got: say so and end by the signal then,
// with the terminal given back, rather than wait while it ends a few hundred workers one by one. A
// microtask: it runs once every listener of the abort has (the engine's notes the interruption), and
// before the engine's own continuations, which end the workers.
controller.signal.addEventListener('abort', () =>
  queueMicrotask(() => {
    const interruption = interruptionSoFar();
    const signal = STOP_SIGNALS.find((name) => name === controller.signal.reason);
    if (!interruption || !signal) return;
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    stderr.write(`${describeFailure(interruption)}\n`);
    die(signal);
  }),
);

/**
 * Ends the process by `signal`, with nobody handling it any more: the kernel ends every thread at once,
 * where ending a few hundred workers one by one (or process.exit, which joins them) can take seconds.
 */
function die(signal: StopSignal): void {
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
  // Should the signal be held up, the same status by hand.
  setTimeout(() => process.exit(exitCodeForSignal(signal)), 200).unref();
}

// stdin is made only when a command reads keys: making the stream costs start-up time.
void main(process.argv.slice(2), { stdout, stderr, keyInput: () => process.stdin, env: process.env, signal: controller.signal })
  // A failed write is reported on the next tick (stdout to a file or a pipe is written synchronously on
  // Linux, the error event follows): one turn of the event loop lets it arrive.
  .then(async (code) => {
    // main has decided; from here on a signal decides the exit code itself (main's own check came just before).
    signals.ended();
    await new Promise((resolve) => setImmediate(resolve));
    if (stdout.failure) {
      stderr.write(`race-demo: could not write the output to stdout: ${describeWriteError(stdout.failure)}\n`);
      process.exitCode = ExitCode.outputFailed;
    } else {
      process.exitCode = code;
      // Interrupted: it has said how far it got and given the terminal back; what is left is threads ending.
      const signal = stoppingSignal(controller, code);
      if (signal) die(signal);
    }
  });
