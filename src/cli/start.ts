import { main } from './main.js';

// The process-level wiring that main() stays free of: signals, a closed stdout, the exit code.
// Nothing here loads chalk: `--help` never colours, and chalk's start-up is a tenth of its time.

const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  // once: a second Ctrl-C falls through to Node's default and ends the process at once.
  process.once(signal, () => controller.abort(signal));
}

// A reader that goes away early (`race-demo run --json | head -c 10`) is not an error of ours.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
