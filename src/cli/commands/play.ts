import { playGoalOf } from '../../core/goal.js';
import { modeOf, type PlayGoal } from '../../core/scenario.js';
import { unreachableGoalNote } from '../../explore/goal-reach.js';
import { plural } from '../../core/text.js';
import { UsageError } from '../../errors.js';
import { ReplaySession } from '../../replay/session.js';
import { DEFAULT_SCENARIO } from '../../scenarios/registry.js';
import { createChalk } from '../color.js';
import { ExitCode } from '../exit-codes.js';
import { FAULT_ENV, faultFromEnv } from '../fault-env.js';
import { Keys } from '../keys.js';
import type { PlayCommandOptions } from '../program.js';
import { quote } from '../reproduce.js';
import { textWidth, wrapText } from '../reports/format.js';
import { CLEAR_SCREEN, formatScreen } from '../reports/screen.js';
import type { CommandIo } from './io.js';
import { writeSchedule } from '../../core/count-text.js';

/** A thread is picked with one key: 1 to 9. */
export const MOST_PLAYERS = 9;

/**
 * `race-demo play`: you are the scheduler. Each key names the thread that takes the next step, on its
 * real thread through the turnstile; u takes the last step back; q ends the game. The game ends by
 * itself once every thread is done (or none can move), and prints your schedule and the replay command
 * that takes it again.
 */
export async function playCommand(options: PlayCommandOptions, io: CommandIo): Promise<number> {
  if (faultFromEnv(io.env)) throw new UsageError(`${FAULT_ENV} is set, but play takes the steps you choose; a fault belongs to run and replay`);
  if (options.threads !== undefined && options.threads > MOST_PLAYERS) throw new UsageError(`{threads} ${options.threads}: play picks a thread with one key, 1 to ${MOST_PLAYERS}`);
  const keys = io.stdout.isTTY ? Keys.open(io.keyInput?.(), io.signal) : null;
  if (!keys) throw new UsageError('play needs a terminal: its keys pick which thread moves next (to run a schedule of your own without one, use replay --schedule)');
  const session = await ReplaySession.open({
    scenario: options.scenario,
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
    ...(options.iters !== undefined ? { iters: options.iters } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(io.signal ? { signal: io.signal } : {}),
  }).catch((error: unknown) => {
    keys.close();
    throw error;
  });
  // Whatever ends the game (its end, q, a signal, a failure), the terminal is given back and the threads end.
  try {
    const goal = playGoalOf(session.scenario, session.size);
    const unreachable = await unreachableGoalNote(session.scenario, options.scenario, session.mode, session.size, io.signal);
    try {
      await playUntilOver(session, goal, unreachable, keys, options, io);
    } finally {
      keys.close();
    }
    return await farewell(session, goal, options, io);
  } finally {
    await session.close();
  }
}

/** Draws the game and takes the player's keys until the game is over (every thread done, or stuck) or q. */
async function playUntilOver(session: ReplaySession, goal: PlayGoal, unreachable: string | null, keys: Keys, options: PlayCommandOptions, io: CommandIo): Promise<void> {
  const { scenario, mode, size } = session;
  const chalk = await createChalk({ flag: options.color, env: io.env, supported: io.colorSupport });
  const width = textWidth(io.stdout.columns, io.env);
  let said = '';
  for (;;) {
    const over = session.over();
    const status = over ? endLines(session, goal) : threadLines(session);
    io.stdout.write(CLEAR_SCREEN + formatScreen({ title: `race-demo play ${scenario.name}: ${mode}, ${plural(size.threads, 'thread')} × ${plural(size.iters, scenario.operation)}`, intro: [`Goal: ${goal.text}.`, ...(unreachable ? [unreachable] : [])], trace: { threads: size.threads, mode, steps: session.steps, watching: scenario.watch.label }, status: [...status, ...(said ? [said] : []), ...(over ? [] : [keysLine(session)])] }, scenario, chalk, width));
    if (over) return;
    said = '';
    const key = await keys.next();
    if (key === 'q') return;
    if (key === 'u') {
      if (session.steps.length > 0) await session.back();
      continue;
    }
    const thread = Number.parseInt(key, 10);
    if (!(thread >= 1 && thread <= size.threads)) {
      said = `Keys 1 to ${size.threads} pick a thread; u undoes; q quits.`;
      continue;
    }
    const refusal = session.refusal(thread);
    if (refusal) said = `${refusal[0]!.toUpperCase()}${refusal.slice(1)}: pick another.`;
    else await session.take(thread);
  }
}

/** The end of the game, printed under the last screen: how it ended, the schedule, and the replay command. */
async function farewell(session: ReplaySession, goal: PlayGoal, options: PlayCommandOptions, io: CommandIo): Promise<number> {
  const { size, mode } = session;
  if (session.steps.length === 0) {
    io.stdout.write('No step taken.\n');
    return ExitCode.ok;
  }
  if (!session.over()) {
    io.stdout.write(`Stopped after ${plural(session.steps.length, 'step')}: ${writeSchedule(session.schedule)}.\n`);
    return ExitCode.ok;
  }
  const won = goal.reached(session.cells);
  const report = await session.finish();
  const scenario = options.scenario === DEFAULT_SCENARIO ? '' : ` --scenario ${quote(options.scenario)}`;
  const width = textWidth(io.stdout.columns, io.env) + 2;
  const lines = [
    `${won ? 'You reached the goal.' : 'The goal was not reached.'} ${report.summary[0] ?? ''}`,
    `Your schedule: ${writeSchedule(report.schedule)}`,
    `Replay it: race-demo replay${scenario} --mode ${mode} --threads ${size.threads} --iters ${size.iters} --schedule ${writeSchedule(report.schedule)}`,
  ];
  io.stdout.write(`${lines.flatMap((line) => wrapText(line, width)).join('\n')}\n`);
  return ExitCode.ok;
}

/** Each thread: what it runs next, or that it is done or would wait. */
function threadLines(session: ReplaySession): string[] {
  const code = modeOf(session.scenario, session.mode)?.code;
  return Array.from({ length: session.size.threads }, (_, i) => {
    const thread = i + 1;
    if (session.refusal(thread)) return `thread ${thread}: done`;
    const line = session.nextLine(thread);
    const next = line !== null && code ? `next runs line ${line}: ${code[line - 1]}` : 'can take a step';
    return `thread ${thread}: ${next}${session.canMove(thread) ? '' : ' (it would wait: what it needs is taken)'}`;
  });
}

function endLines(session: ReplaySession, goal: PlayGoal): string[] {
  const { lines } = session.scenario.outcome(session.mode, session.cells, session.size);
  const how = session.stuck().length > 0 ? 'No thread can move any more' : 'Every thread is done';
  if (goal.reached(session.cells)) return [`${how}, and you reached the goal! ${lines[0] ?? ''}`];
  return [`${how}, and the goal was not reached: ${lines[0] ?? ''} Play again to try another order.`];
}

function keysLine(session: ReplaySession): string {
  return `1–${session.size.threads}: that thread takes its next step · u: undo · q: quit`;
}
