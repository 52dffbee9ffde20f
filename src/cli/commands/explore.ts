import { MEMORY_MODEL_NAMES } from '../../core/memory/models.js';
import type { EndValues, Scenario } from '../../core/scenario.js';
import { UsageError } from '../../errors.js';
import { exploreInterleavings, type ExploreReport } from '../../explore/explore.js';
import { replay } from '../../replay/replay.js';
import { loadScenario } from '../../scenarios/registry.js';
import { createChalk, preloadChalk } from '../color.js';
import { ExitCode } from '../exit-codes.js';
import { FAULT_ENV, faultFromEnv } from '../fault-env.js';
import type { ExploreCommandOptions } from '../program.js';
import { formatExploreReport, type Replayed } from '../reports/explore.js';
import { textWidth } from '../reports/format.js';
import type { CommandIo } from './io.js';
import { sameValues } from '../../core/end-values.js';

/**
 * `race-demo explore`: count every execution under each model of memory asked for; with --replay, run
 * the smallest on real threads. `--json` prints the first model's report, the second's as `storeBuffers`,
 * and, for a test written as code or a litmus file, each model's verdict on what it asks.
 */
export async function exploreCommand(options: ExploreCommandOptions, io: CommandIo): Promise<number> {
  const fault = faultFromEnv(io.env);
  if (fault && !options.replay) throw new UsageError(`${FAULT_ENV} is set, but explore without --replay starts no thread for the fault to strike`);
  const scenario = await loadScenario(options.scenario);
  const models = memoryModelsOf(options, scenario);
  if (options.replay && !models.includes('sc')) {
    throw new UsageError(`{replay} takes whole steps, which only the sc model counts, and --memory-model is ${models.join(', ')}: use --memory-model sc or both`);
  }
  const asked = {
    scenario: options.scenario,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.iters !== undefined ? { iters: options.iters } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  };
  // The report's colours load while the model works.
  if (!options.json) preloadChalk();
  const reports: ExploreReport[] = [];
  for (const model of models) reports.push(await exploreInterleavings({ ...asked, memoryModel: model, forReplay: (options.replay ?? false) && model === 'sc' }));
  const [report, storeBuffers = null] = reports as [ExploreReport, ExploreReport?];
  let replayed: Replayed | null = null;
  if (options.replay) {
    const sc = reports.find((r) => r.memoryModel === 'sc')!;
    const trace = await replay({ scenario: options.scenario, threads: sc.threads, iters: sc.iters, mode: sc.mode, schedule: sc.min.schedule, fault, ...(io.signal ? { signal: io.signal } : {}) });
    replayed = scenario.ends ? replayedEnd(scenario, sc, trace.ends?.[0]?.values) : { final: trace.actual, matches: trace.actual === sc.min.final };
  }
  if (options.json) {
    const verdicts = scenario.ends ? Object.fromEntries(reports.map((r) => [r.memoryModel, r.verdict])) : undefined;
    io.stdout.write(`${JSON.stringify({ ...report, replayed, storeBuffers, ...(verdicts ? { verdicts } : {}) }, null, 2)}\n`);
  } else {
    const chalk = await createChalk({ flag: options.color, env: io.env, supported: io.colorSupport });
    io.stdout.write(formatExploreReport({ report, storeBuffers, replayed }, scenario, options.scenario, chalk, textWidth(io.stdout.columns, io.env)));
  }
  if (replayed && !replayed.matches) {
    io.stderr.write(`race-demo: the real threads ended at ${replayed.final}, the model at ${report.min.final}\n`);
    return ExitCode.failure;
  }
  return ExitCode.ok;
}

/** The models asked for, in order: --memory-model, or its old spelling --store-buffers, or the scenario's default. */
function memoryModelsOf(options: ExploreCommandOptions, scenario: Scenario): string[] {
  const alias = options.storeBuffers === undefined ? undefined : options.storeBuffers ? 'both' : 'sc';
  if (options.memoryModel !== undefined && alias !== undefined && options.memoryModel !== alias) {
    throw new UsageError(`{storeBuffers} is --memory-model ${alias}, and --memory-model ${options.memoryModel} says otherwise: give one of them`);
  }
  const chosen = options.memoryModel ?? alias ?? (scenario.storeBuffers ? 'both' : 'sc');
  return chosen === 'both' ? [...MEMORY_MODEL_NAMES] : [chosen];
}

/** Where a replay of a test's smallest end ended, against the model's: by values, which the measure only keys. */
function replayedEnd(scenario: Scenario, report: ExploreReport, seen: EndValues | undefined): Replayed {
  const wanted = report.outcomes.find((o) => o.final === report.min.final)?.values;
  const same = seen !== undefined && wanted !== undefined && sameValues(scenario.ends!.names, seen, wanted);
  return { final: report.min.final, matches: same, ...(seen ? { values: seen } : {}) };
}
