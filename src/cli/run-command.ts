import { isDebugOn } from './debug.js';
import type { ColorSupportLevel } from 'chalk';
import type { RunEvent } from '../engine/trial.js';
import { ExitCode } from './exit-codes.js';
import type { Output, RunCommandOptions } from './program.js';
import { TrialProgress } from './trial-progress.js';

export interface RunIo {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What stdout supports by itself; default: what chalk detects, once a command that colours loads it. */
  readonly colorSupport?: ColorSupportLevel;
  readonly signal?: AbortSignal | undefined;
}

/** `race-demo run`: run the library, print the report or the JSON, and decide the exit code. */
export async function runCommand(options: RunCommandOptions, io: RunIo): Promise<number> {
  // Loaded here so that --help and usage errors never pay for the thread machinery; the report's code
  // (and chalk) loads while the workers start up, off the path to the first worker.
  const { runRace } = await import('../engine/run-race.js');
  let reporting: Promise<[typeof import('./run-report.js'), typeof import('./color.js')]> | undefined;
  const loadReporting = () => (reporting ??= Promise.all([import('./run-report.js'), import('./color.js')]));
  const progress = new TrialProgress(io.stderr, Boolean(io.stderr.isTTY) && !isDebugOn(io.env));
  const report = await runRace({
    threads: options.threads,
    iters: options.iters,
    modes: options.mode,
    barrier: options.barrier,
    expect: options.expect ?? null,
    untilRace: options.untilRace ?? false,
    widen: options.widen,
    evidence: options.evidence,
    // Counting lock events costs the lock loops a little (bench/RESULTS.md), so only when it is shown.
    stats: Boolean(options.stats ?? options.json),
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
    ...(options.trials !== undefined ? { trials: options.trials } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    onEvent: (event: RunEvent) => {
      if (event.type === 'spawned' && !options.json) void loadReporting();
      if (isDebugOn(io.env)) io.stderr.write(describeEvent(event));
      progress.update(event);
    },
  }).finally(() => progress.clear());

  if (options.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const [{ formatRunReport }, { createChalk }] = await loadReporting();
    const chalk = createChalk({ flag: options.color, env: io.env, supported: io.colorSupport });
    io.stdout.write(formatRunReport(report, chalk, { stats: options.stats ?? false }));
  }
  if (!report.ok) {
    io.stderr.write(`race-demo: --expect ${report.expect} did not hold: ${report.reason}\n`);
    return ExitCode.expectationFailed;
  }
  return ExitCode.ok;
}

function describeEvent(event: RunEvent): string {
  switch (event.type) {
    case 'spawned':
      return `race-demo: debug: ${event.mode}: ${event.threads} workers spawned\n`;
    case 'released':
      return `race-demo: debug: ${event.mode}: workers released\n`;
    case 'finished':
      return `race-demo: debug: ${event.mode}: finished, ${event.result.actual} of ${event.result.expected}\n`;
    case 'trial':
      return `race-demo: debug: ${event.mode}: trial ${event.trial} of ${event.of}, ${event.raced} raced\n`;
  }
}
