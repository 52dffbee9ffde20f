import { replay } from '../../replay/replay.js';
import { loadScenario } from '../../scenarios/registry.js';
import { createChalk, preloadChalk } from '../color.js';
import { isDebugOn } from '../debug.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../../errors.js';
import { FAULT_ENV, faultFromEnv } from '../fault-env.js';
import { Keys } from '../keys.js';
import { stepThrough } from './replay-steps.js';
import type { ReplayCommandOptions } from '../program.js';
import { textWidth } from '../reports/format.js';
import { formatReplayReport } from '../reports/replay.js';
import type { CommandIo } from './io.js';

/**
 * `race-demo replay`: step the threads through the schedule and print the trace or the JSON. On a
 * terminal, --step waits for a key before each step and --delay pauses; off one, or with --json, the
 * replay runs straight through.
 */
export async function replayCommand(options: ReplayCommandOptions, io: CommandIo): Promise<number> {
  const fault = faultFromEnv(io.env);
  const interactive = !options.json && io.stdout.isTTY === true;
  if (interactive && (options.step || options.delay !== undefined)) {
    if (fault) throw new UsageError(`${FAULT_ENV} is set, but replay --step and --delay take their steps as they come; run the replay straight through (no --step, no --delay)`);
    const keys = options.step ? Keys.open(io.keyInput?.(), io.signal) : null;
    if (keys) return stepThrough(options, io, { keys });
    if (options.delay !== undefined) return stepThrough(options, io, { delayMs: options.delay });
  }
  // The report's colours load while the threads or the model work.
  if (!options.json) preloadChalk();
  const report = await replay({
    scenario: options.scenario,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.iters !== undefined ? { iters: options.iters } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.schedule ? { schedule: options.schedule } : {}),
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
    fault,
    ...(io.signal ? { signal: io.signal } : {}),
    onSpawned: (threads) => {
      if (isDebugOn(io.env)) io.stderr.write(`race-demo: debug: replay: ${threads} workers spawned\n`);
    },
  });
  if (options.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const chalk = await createChalk({ flag: options.color, env: io.env, supported: io.colorSupport });
    io.stdout.write(formatReplayReport(report, await loadScenario(options.scenario), options.schedule === undefined, chalk, textWidth(io.stdout.columns, io.env)));
  }
  return ExitCode.ok;
}
