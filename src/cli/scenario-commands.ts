import { isDebugOn } from './debug.js';
import { DEFAULT_SCENARIO_MAX_STATES } from '../engine/limits.js';
import { UsageError } from '../errors.js';
import { MODES } from '../modes.js';
import { loadScenario } from '../scenario/registry.js';
import { createChalk } from './color.js';
import { ExitCode } from './exit-codes.js';
import { finishExplore } from './explore-command.js';
import type { ExploreCommandOptions, ReplayCommandOptions, RunCommandOptions } from './program.js';
import type { RunIo } from './run-command.js';
import { formatScenarioExplore, formatScenarioReplay, formatScenarioRun } from './scenario-report.js';

// run, replay and explore for every scenario but the counter, which has commands of its own.

/** The counter's run options that mean nothing for another scenario: refused rather than ignored. */
function refuseCounterOnly(options: RunCommandOptions): void {
  const given = [
    options.trials !== undefined ? '--trials' : null,
    options.untilRace ? '--until-race' : null,
    options.stats ? '--stats' : null,
    options.widen !== 'auto' ? '--widen' : null,
  ].filter((flag) => flag !== null);
  if (given.length > 0) {
    throw new UsageError(`${given.join(', ')} ${given.length === 1 ? 'works' : 'work'} with --scenario counter only, not --scenario ${options.scenario}`);
  }
}

export async function runScenarioCommand(options: RunCommandOptions, io: RunIo): Promise<number> {
  refuseCounterOnly(options);
  const scenario = await loadScenario(options.scenario);
  const { runScenario } = await import('../engine/scenario-run.js');
  const report = await runScenario({
    scenario,
    threads: options.threads,
    iters: options.iters,
    // "all" (the default) means every mode this scenario has.
    modes: options.mode.length === MODES.length ? scenario.modes : options.mode,
    barrier: options.barrier,
    expect: options.expect ?? null,
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    onSpawned: (mode, threads) => {
      if (isDebugOn(io.env)) io.stderr.write(`race-demo: debug: ${scenario.name} ${mode}: ${threads} workers spawned\n`);
    },
  });
  if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(formatScenarioRun(report, scenario, createChalk({ flag: options.color, env: io.env, supported: io.colorSupport })));
  if (!report.ok) {
    io.stderr.write(`race-demo: --expect ${report.expect} did not hold: ${report.reason}\n`);
    return ExitCode.expectationFailed;
  }
  return ExitCode.ok;
}

export async function replayScenarioCommand(options: ReplayCommandOptions, io: RunIo): Promise<number> {
  const scenario = await loadScenario(options.scenario);
  const { replayScenario } = await import('../engine/scenario-replay.js');
  const report = await replayScenario({
    scenario,
    mode: options.mode,
    threads: options.threads,
    iters: options.iters,
    ...(options.schedule ? { schedule: options.schedule } : {}),
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  });
  if (options.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout.write(formatScenarioReplay(report, options.schedule === undefined, scenario, createChalk({ flag: options.color, env: io.env, supported: io.colorSupport })));
  return ExitCode.ok;
}

export async function exploreScenarioCommand(options: ExploreCommandOptions, io: RunIo): Promise<number> {
  const scenario = await loadScenario(options.scenario);
  const { validateScenarioRun } = await import('../engine/scenario-run.js');
  const { exploreScenarioReport } = await import('../model/scenario-explore.js');
  const size = { threads: options.threads, iters: options.iters };
  validateScenarioRun(scenario, size, [options.mode]);
  const report = exploreScenarioReport(scenario, options.mode, size, options.maxStates ?? DEFAULT_SCENARIO_MAX_STATES);
  let replayed: { final: number; matches: boolean } | null = null;
  if (options.replay) {
    const { replayScenario } = await import('../engine/scenario-replay.js');
    const trace = await replayScenario({ scenario, mode: options.mode, ...size, schedule: report.min.schedule, ...(io.signal ? { signal: io.signal } : {}) });
    replayed = { final: trace.actual, matches: trace.actual === report.min.final };
  }
  return finishExplore(report, replayed, options, io, (chalk, line) => formatScenarioExplore(report, chalk, line), (final) => `${final.toLocaleString('en-US')} ${scenario.measure}`);
}
