import { runRace, type RunReport } from '../../run/run.js';
import type { RunEvent } from '../../run/trial.js';
import { loadScenario } from '../../scenarios/registry.js';
import { createChalk, preloadChalk } from '../color.js';
import { isDebugOn } from '../debug.js';
import { ExitCode } from '../exit-codes.js';
import { faultFromEnv } from '../fault-env.js';
import type { RunCommandOptions } from '../program.js';
import { describeWriteError } from '../output.js';
import { textWidth } from '../reports/format.js';
import { formatAnnotations, formatJobSummary } from '../reports/github.js';
import { formatJunit } from '../reports/junit.js';
import { TrialProgress } from '../reports/progress.js';
import { formatRunReport } from '../reports/run.js';
import { reproduceLine } from '../reproduce.js';
import type { CommandIo } from './io.js';

/** `race-demo run`: run the library, print the report or the JSON, and decide the exit code. */
export async function runCommand(options: RunCommandOptions, io: CommandIo): Promise<number> {
  const fault = faultFromEnv(io.env);
  const debug = isDebugOn(io.env);
  const progress = new TrialProgress(io.stderr, Boolean(io.stderr.isTTY) && !debug);
  // The report's colours load while the threads or the model work.
  if (!options.json) preloadChalk();
  const report = await runRace({
    scenario: options.scenario,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.iters !== undefined ? { iters: options.iters } : {}),
    ...(options.mode ? { modes: options.mode } : {}),
    barrier: options.barrier,
    expect: options.expect ?? null,
    untilRace: options.untilRace ?? false,
    freshWorkers: options.freshWorkers ?? false,
    widen: options.widen,
    evidence: options.evidence,
    // Counting lock events costs the lock loops a little (bench/RESULTS.md), so only when it is shown.
    stats: Boolean(options.stats ?? options.json),
    fault,
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
    ...(options.trials !== undefined ? { trials: options.trials } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    onEvent: (event: RunEvent) => {
      if (debug) io.stderr.write(describeEvent(event));
      progress.update(event);
    },
  }).finally(() => progress.clear());

  if (options.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const chalk = await createChalk({ flag: options.color, env: io.env, supported: io.colorSupport });
    io.stdout.write(formatRunReport(report, await loadScenario(options.scenario), chalk, { stats: options.stats ?? false, explain: options.explain ?? false, width: textWidth(io.stdout.columns, io.env) }));
  }
  const reproduce = report.ok ? '' : await reproduceLine(report, io.argv ?? [], options.scenario, io.signal);
  if (!report.ok) {
    io.stderr.write(`race-demo: --expect ${report.expect} did not hold: ${report.reason}\n`);
    io.stderr.write(`race-demo: to reproduce: ${reproduce}\n`);
  }
  const written = await writeCiReports(report, reproduce, options.junit, io);
  if (written !== ExitCode.ok) return written;
  return report.ok ? ExitCode.ok : ExitCode.expectationFailed;
}

/**
 * What CI reads besides the exit code: JUnit XML with --junit, and under GitHub Actions an annotation
 * per failed mode (on stderr, which the runner reads too, so that --json keeps stdout to itself) and
 * the results on the job's summary page.
 */
async function writeCiReports(report: RunReport, reproduce: string, junit: string | undefined, io: CommandIo): Promise<number> {
  // node:fs is loaded only here: a static import would put it in every start of the bundled CLI.
  const { appendFile, writeFile } = await import('node:fs/promises');
  const onGitHub = io.env.GITHUB_ACTIONS === 'true';
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  const writes: [string, () => Promise<void>][] = [];
  if (junit !== undefined) {
    writes.push([`--junit ${junit}`, () => writeFile(junit, formatJunit(report, reproduce, new Date().toISOString()))]);
  }
  if (onGitHub) {
    io.stderr.write(formatAnnotations(report, reproduce));
    if (summaryFile) writes.push([`GITHUB_STEP_SUMMARY ${summaryFile}`, () => appendFile(summaryFile, formatJobSummary(report, reproduce))]);
  }
  for (const [what, write] of writes) {
    try {
      await write();
    } catch (error) {
      io.stderr.write(`race-demo: could not write ${what}: ${describeWriteError(error as NodeJS.ErrnoException)}\n`);
      return ExitCode.outputFailed;
    }
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
