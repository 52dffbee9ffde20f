import { CommanderError } from 'commander';
import { InterruptedError, RaceDemoError, TestError, UsageError } from '../errors.js';
import type { CommandIo } from './commands/io.js';
import { ExitCode, exitCodeFor, exitCodeForSignal } from './exit-codes.js';
import { flagOf } from './flags.js';
import { createProgram } from './program.js';

/** Parses argv (without node and script), runs the command, and returns the exit code. Never exits. */
export async function main(argv: readonly string[], given: CommandIo): Promise<number> {
  const io: CommandIo = { ...given, argv };
  let exitCode: number = ExitCode.ok;
  // serve runs until a signal: for it, the signal is the way to stop, not an interruption.
  let stopsOnSignal = false;
  // Each command's code is loaded only when that command runs: `--help` and a usage error stay quick.
  const program = createProgram(io, {
    run: async (options) => {
      exitCode = await (await import('./commands/run.js')).runCommand(options, io);
    },
    replay: async (options) => {
      exitCode = await (await import('./commands/replay.js')).replayCommand(options, io);
    },
    explore: async (options) => {
      exitCode = await (await import('./commands/explore.js')).exploreCommand(options, io);
    },
    play: async (options) => {
      exitCode = await (await import('./commands/play.js')).playCommand(options, io);
    },
    serve: async (options) => {
      stopsOnSignal = true;
      exitCode = await (await import('./commands/serve.js')).serveCommand(options, io);
    },
  });
  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return ExitCode.usage;
  }
  // Commander answers `help <unknown>` with the whole help and exit 0; an unknown name is a typo here too.
  const [first, topic] = argv;
  if (first === 'help' && topic !== undefined && !program.commands.some((command) => command.name() === topic)) {
    io.stderr.write(`race-demo: error: unknown command '${topic}' for help: expected ${program.commands.map((c) => c.name()).join(', ')}\n`);
    return ExitCode.usage;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    // A signal as the command ended (its output written) still says that it came. Its handler runs only
    // when the event loop next polls, which promise continuations alone never let it do: take a turn first.
    await new Promise((resolve) => setImmediate(resolve));
    if (io.signal?.aborted && exitCode === ExitCode.ok && !stopsOnSignal) {
      const signal = typeof io.signal.reason === 'string' ? io.signal.reason : 'SIGINT';
      io.stderr.write(`race-demo: interrupted by ${signal} as it finished\n`);
      return exitCodeForSignal(signal);
    }
    return exitCode;
  } catch (error) {
    // Commander has already printed its own one-line message.
    if (!(error instanceof CommanderError)) io.stderr.write(`${describeFailure(error)}\n`);
    return exitCodeFor(error);
  }
}

export function describeFailure(error: unknown): string {
  if (error instanceof InterruptedError) {
    const progress = error.progress;
    if (!progress) return `race-demo: interrupted by ${error.signal} before any worker started`;
    return `race-demo: interrupted by ${error.signal} during ${progress.during}: ${progress.done}; every worker was terminated`;
  }
  if (error instanceof UsageError) return `race-demo: error: ${error.render(flagOf)}`;
  if (error instanceof TestError) return `race-demo: error: ${error.message}`;
  if (error instanceof RaceDemoError) return `race-demo: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `race-demo: internal error: ${message}`;
}
