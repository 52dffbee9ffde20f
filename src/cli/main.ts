import { CommanderError } from 'commander';
import { InterruptedError, RaceDemoError, UsageError } from '../errors.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { formatInt } from '../text.js';
import { DEFAULT_SCENARIO } from '../scenario/registry.js';
import { createProgram } from './program.js';
import type { RunIo } from './run-command.js';

/** Parses argv (without node and script), runs the command, and returns the exit code. Never exits. */
export async function main(argv: readonly string[], io: RunIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  // Each command's code is loaded only when that command runs: `--help` and a usage error stay quick.
  const program = createProgram(io, {
    run: async (options) => {
      if (options.scenario !== DEFAULT_SCENARIO) {
        const { runScenarioCommand } = await import('./scenario-commands.js');
        exitCode = await runScenarioCommand(options, io);
        return;
      }
      const { runCommand } = await import('./run-command.js');
      exitCode = await runCommand(options, io);
    },
    replay: async (options) => {
      if (options.scenario !== DEFAULT_SCENARIO) {
        const { replayScenarioCommand } = await import('./scenario-commands.js');
        exitCode = await replayScenarioCommand(options, io);
        return;
      }
      const { replayCommand } = await import('./replay-command.js');
      exitCode = await replayCommand(options, io);
    },
    explore: async (options) => {
      if (options.scenario !== DEFAULT_SCENARIO) {
        const { exploreScenarioCommand } = await import('./scenario-commands.js');
        exitCode = await exploreScenarioCommand(options, io);
        return;
      }
      const { exploreCommand } = await import('./explore-command.js');
      exitCode = await exploreCommand(options, io);
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
    return exitCode;
  } catch (error) {
    // Commander has already printed its own one-line message.
    if (!(error instanceof CommanderError)) io.stderr.write(`${describeFailure(error)}\n`);
    return exitCodeFor(error);
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof InterruptedError) {
    const progress = error.progress;
    if (!progress) return `race-demo: interrupted by ${error.signal} before any worker started`;
    return (
      `race-demo: interrupted by ${error.signal} during ${progress.mode}: ${formatInt(progress.counted)} of ` +
      `${formatInt(progress.expected)} ${progress.unit ?? 'increments counted'} so far; every worker was terminated`
    );
  }
  if (error instanceof UsageError) return `race-demo: error: ${error.message}`;
  if (error instanceof RaceDemoError) return `race-demo: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `race-demo: internal error: ${message}`;
}
