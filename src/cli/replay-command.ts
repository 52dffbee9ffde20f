import { isDebugOn } from './debug.js';
import { createChalk } from './color.js';
import { ExitCode } from './exit-codes.js';
import type { ReplayCommandOptions } from './program.js';
import { formatReplayReport } from './replay-report.js';
import type { RunIo } from './run-command.js';

/** `race-demo replay`: step the threads through the schedule and print the trace or the JSON. */
export async function replayCommand(options: ReplayCommandOptions, io: RunIo): Promise<number> {
  const { replay } = await import('../engine/replay.js');
  const report = await replay({
    threads: options.threads,
    iters: options.iters,
    mode: options.mode,
    ...(options.schedule ? { schedule: options.schedule } : {}),
    ...(options.timeout !== undefined ? { timeoutMs: options.timeout } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
    onSpawned: (threads) => {
      if (isDebugOn(io.env)) io.stderr.write(`race-demo: debug: replay: ${threads} workers spawned\n`);
    },
  });
  if (options.json) {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const chalk = createChalk({ flag: options.color, env: io.env, supported: io.colorSupport });
    io.stdout.write(formatReplayReport(report, options.schedule === undefined, chalk));
  }
  return ExitCode.ok;
}
