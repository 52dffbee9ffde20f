import { UsageError } from '../../errors.js';
import { exploreInterleavings } from '../../explore/explore.js';
import { replay } from '../../replay/replay.js';
import { loadScenario } from '../../scenarios/registry.js';
import { createChalk, preloadChalk } from '../color.js';
import { ExitCode } from '../exit-codes.js';
import { FAULT_ENV, faultFromEnv } from '../fault-env.js';
import type { ExploreCommandOptions } from '../program.js';
import { formatExploreReport, type Replayed } from '../reports/explore.js';
import { textWidth } from '../reports/format.js';
import type { CommandIo } from './io.js';

/** `race-demo explore`: count every interleaving; with --replay, run the smallest on real threads. */
export async function exploreCommand(options: ExploreCommandOptions, io: CommandIo): Promise<number> {
  const fault = faultFromEnv(io.env);
  if (fault && !options.replay) throw new UsageError(`${FAULT_ENV} is set, but explore without --replay starts no thread for the fault to strike`);
  const scenario = await loadScenario(options.scenario);
  const asked = {
    scenario: options.scenario,
    threads: options.threads,
    iters: options.iters,
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    forReplay: options.replay ?? false,
    ...(io.signal ? { signal: io.signal } : {}),
  };
  // The report's colours load while the threads or the model work.
  if (!options.json) preloadChalk();
  const report = await exploreInterleavings(asked);
  // Store buffers are counted beside the interleavings where the scenario is about them (reorder), or when asked.
  const storeBuffers = (options.storeBuffers ?? scenario.storeBuffers ?? false) ? await exploreInterleavings({ ...asked, memoryModel: 'tso', forReplay: false }) : null;
  let replayed: Replayed | null = null;
  if (options.replay) {
    const trace = await replay({
      scenario: options.scenario,
      threads: report.threads,
      iters: report.iters,
      mode: report.mode,
      schedule: report.min.schedule,
      fault,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    replayed = { final: trace.actual, matches: trace.actual === report.min.final };
  }
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ ...report, replayed, storeBuffers }, null, 2)}\n`);
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
