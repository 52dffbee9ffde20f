import type { ChalkInstance } from 'chalk';
import { createChalk } from './color.js';
import { ExitCode } from './exit-codes.js';
import { formatExploreReport } from './explore-report.js';
import type { ExploreCommandOptions } from './program.js';
import type { RunIo } from './run-command.js';

/** `race-demo explore`: count every interleaving; with --replay, run the smallest on real threads. */
export async function exploreCommand(options: ExploreCommandOptions, io: RunIo): Promise<number> {
  const { exploreInterleavings } = await import('../model/explore-report.js');
  const report = exploreInterleavings({
    threads: options.threads,
    iters: options.iters,
    mode: options.mode,
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
  });
  let replayed: { final: number; matches: boolean } | null = null;
  if (options.replay) {
    const { replay } = await import('../engine/replay.js');
    const trace = await replay({
      threads: report.threads,
      iters: report.iters,
      mode: report.mode,
      schedule: report.min.schedule,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    replayed = { final: trace.final, matches: trace.final === report.min.final };
  }
  return finishExplore(report, replayed, options, io, (chalk, line) => formatExploreReport(report, chalk, line), (final) => `final ${final}`);
}

/**
 * Prints an explore result (JSON or the report `format` gives) with, after --replay, whether the real
 * threads ended where the model said; the exit code (failure when they did not).
 */
export function finishExplore(
  report: { readonly threads: number; readonly min: { readonly final: number } },
  replayed: { final: number; matches: boolean } | null,
  options: { readonly json?: true | undefined; readonly color: boolean },
  io: RunIo,
  format: (chalk: ChalkInstance, replayLine: string | null) => string,
  describe: (final: number) => string,
): number {
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ...report, replayed }, null, 2)}\n`);
  } else {
    const chalk = createChalk({ flag: options.color, env: io.env, supported: io.colorSupport });
    const line = replayed
      ? replayed.matches
        ? chalk.green(`replayed the smallest on ${report.threads} real threads: ${describe(replayed.final)}, as the model says.`)
        : chalk.red(`replayed the smallest on real threads: ${describe(replayed.final)}, but the model says ${describe(report.min.final)}!`)
      : null;
    io.stdout.write(format(chalk, line));
  }
  if (replayed && !replayed.matches) {
    io.stderr.write(`race-demo: the real threads ended at ${replayed.final}, the model at ${report.min.final}\n`);
    return ExitCode.failure;
  }
  return ExitCode.ok;
}
