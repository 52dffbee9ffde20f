import { modeOf, type Scenario } from '../../core/scenario.js';
import { defaultSchedule, modelTrace } from '../../core/schedule.js';
import { plural } from '../../core/text.js';
import { InterruptedError } from '../../errors.js';
import { replayTarget } from '../../replay/replay.js';
import { ReplaySession } from '../../replay/session.js';
import { createChalk } from '../color.js';
import { ExitCode } from '../exit-codes.js';
import type { Keys } from '../keys.js';
import type { ReplayCommandOptions } from '../program.js';
import { textWidth } from '../reports/format.js';
import { formatReplayReport } from '../reports/replay.js';
import { CLEAR_SCREEN, formatScreen } from '../reports/screen.js';
import type { CommandIo } from './io.js';
import { writeSchedule } from '../../core/count-text.js';

/** How the next step is let go: by a key (`--step`), or after a pause (`--delay`). */
export type Pace = { readonly keys: Keys } | { readonly delayMs: number };

/**
 * `replay --step` and `replay --delay`: the same replay, a step at a time on real threads, the screen
 * redrawn after each: the code, the lanes so far, and the step that comes next. With keys, space or
 * Enter takes it, b goes back a step (fresh threads take the steps before it again), q stops.
 */
export async function stepThrough(options: ReplayCommandOptions, io: CommandIo, pace: Pace): Promise<number> {
  const { scenario, size, mode } = await replayTarget({
    scenario: options.scenario,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.iters !== undefined ? { iters: options.iters } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
  });
  // The whole schedule is checked on the model first, as a replay run straight through is.
  const schedule = modelTrace(scenario, mode, size, options.schedule ?? defaultSchedule(scenario, mode, size)).schedule;
  const chalk = await createChalk({ flag: options.color, env: io.env, supported: io.colorSupport });
  const width = textWidth(io.stdout.columns, io.env);
  const session = await ReplaySession.open({ scenario: options.scenario, threads: size.threads, iters: size.iters, mode, ...(io.signal ? { signal: io.signal } : {}) });
  try {
    for (let next = 0; ; ) {
      io.stdout.write(CLEAR_SCREEN + formatScreen(screenOf(scenario, session, schedule, next, pace), scenario, chalk, width));
      if (next === schedule.length) break;
      if ('keys' in pace) {
        const key = await pace.keys.next();
        if (key === 'q') {
          io.stdout.write(`Stopped after ${plural(next, 'step')} of ${schedule.length}.\n`);
          return ExitCode.ok;
        }
        if (key === 'b' && next > 0) {
          await session.back();
          next--;
        }
        if (key !== ' ' && key !== '\r') continue;
      } else {
        await pause(pace.delayMs, io.signal);
      }
      await session.take(schedule[next]!);
      next++;
    }
    const report = await session.finish();
    io.stdout.write(CLEAR_SCREEN + formatReplayReport(report, scenario, options.schedule === undefined, chalk, width));
    return ExitCode.ok;
  } finally {
    if ('keys' in pace) pace.keys.close();
    await session.close();
  }
}

function screenOf(scenario: Scenario, session: ReplaySession, schedule: readonly number[], next: number, pace: Pace) {
  const { mode, size } = session;
  const code = modeOf(scenario, mode)?.code;
  const status: string[] = [];
  if (next < schedule.length) {
    const thread = schedule[next]!;
    const line = session.nextLine(thread);
    const what = line !== null && code ? `, line ${line}: ${code[line - 1]}` : '';
    status.push(`Next: step ${next + 1} of ${schedule.length}, thread ${thread}${what}${session.canMove(thread) ? '' : ' (it will find what it needs taken)'}.`);
    status.push('keys' in pace ? 'space or Enter: take it, on its real thread · b: back a step · q: quit' : `Taken in ${pace.delayMs} ms, on its real thread.`);
  } else {
    status.push('Every step of the schedule is taken.');
  }
  return {
    title: `race-demo replay ${scenario.name}: ${mode}, ${plural(size.threads, 'thread')} × ${plural(size.iters, scenario.operation)}, schedule ${writeSchedule(schedule)}`,
    intro: [scenario.describeStart?.(size) ?? ''].filter((line) => line !== ''),
    trace: { threads: size.threads, mode, steps: session.steps, watching: scenario.watch.label },
    status,
  };
}

/** Waits `ms`, or rejects at once when the run is interrupted. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError(typeof signal?.reason === 'string' ? signal.reason : 'SIGINT'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
