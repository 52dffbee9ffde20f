import { ExitCode } from './exit-codes.js';
import { main } from './main.js';
import { describeWriteError, guardOutput } from './output.js';

// The process-level wiring that main() stays free of: signals, failed writes, the exit code.
// Nothing here loads chalk: `--help` never colours, and chalk's start-up is a tenth of its time.

/** A repeat of the same signal this soon is one delivery counted twice (`timeout` signals the process and its group). */
const REPEAT_WINDOW_MS = 200;

const stdout = guardOutput(process.stdout);
const stderr = guardOutput(process.stderr);

const controller = new AbortController();
let firstSignalAt = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (!controller.signal.aborted) {
      firstSignalAt = performance.now();
      controller.abort(signal);
      return;
    }
    if (signal === controller.signal.reason && performance.now() - firstSignalAt < REPEAT_WINDOW_MS) return;
    // A second Ctrl-C ends the process at once, as Node's default would, but not silently.
    stderr.write(`race-demo: ${signal} again: stopped at once, without a summary\n`);
    process.exit(signal === 'SIGTERM' ? ExitCode.terminated : ExitCode.interrupted);
  });
}

const code = await main(process.argv.slice(2), { stdout, stderr, env: process.env, signal: controller.signal });
// A failed write is reported on the next tick (stdout to a file or a pipe is written synchronously on
// Linux, the error event follows): one turn of the event loop lets it arrive.
await new Promise((resolve) => setImmediate(resolve));
if (stdout.failure) {
  stderr.write(`race-demo: could not write the output to stdout: ${describeWriteError(stdout.failure)}\n`);
  process.exitCode = ExitCode.outputFailed;
} else {
  process.exitCode = code;
}
