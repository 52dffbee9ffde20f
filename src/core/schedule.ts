import { PlainMemory } from './plain-memory.js';
import { newThreadState, type Scenario, type Size, type ThreadState, type TraceStep } from './scenario.js';
import { formatInt, plural } from './text.js';
import { UsageError } from '../errors.js';

/** Replay prints every step; past this a trace is no longer something to read. */
export const MAX_REPLAY_STEPS = 10_000;

/** The schedule run on the model: the trace the threads must give, and what else a replay needs of it. */
export interface ModelTrace {
  readonly steps: readonly TraceStep[];
  /** The cells at the end. */
  readonly cells: Int32Array;
  /** Per step, whether the thread on turn held the lock before it. */
  readonly heldBefore: readonly boolean[];
}

function startingMemory(scenario: Scenario, size: Size): PlainMemory {
  const values = new Int32Array(scenario.cellCount(size));
  scenario.init(values, size);
  return new PlainMemory(values, scenario.lockCell);
}

/** Each thread in turn takes its next step (a blocked step counts), skipping those that are done: 1,2,1,2 for 2 × 1 unsafe. */
export function defaultSchedule(scenario: Scenario, mode: string, size: Size): number[] {
  const memory = startingMemory(scenario, size);
  const states = Array.from({ length: size.threads }, newThreadState);
  const schedule: number[] = [];
  while (states.some((state) => !scenario.isDone(mode, state, size))) {
    for (let thread = 1; thread <= size.threads; thread++) {
      if (scenario.isDone(mode, states[thread - 1]!, size)) continue;
      scenario.step(mode, thread, states[thread - 1]!, memory, size);
      schedule.push(thread);
    }
    if (schedule.length > MAX_REPLAY_STEPS) throw tooLong();
  }
  return schedule;
}

/**
 * The fewest steps any schedule takes: each thread runs alone to its end, one after the other (nothing
 * blocks, nothing retries). Counted without keeping the schedule, and stopped past `limit`.
 */
export function shortestScheduleLength(scenario: Scenario, mode: string, size: Size, limit: number): number {
  const memory = startingMemory(scenario, size);
  let steps = 0;
  for (let thread = 1; thread <= size.threads && steps <= limit; thread++) {
    const state = newThreadState();
    while (!scenario.isDone(mode, state, size) && steps <= limit) {
      scenario.step(mode, thread, state, memory, size);
      steps++;
    }
  }
  return steps;
}

/**
 * Runs the schedule on the model and returns the trace it must give; refuses, before any thread starts,
 * a schedule that names an unknown thread, gives a step to a thread that is done, or ends early.
 */
export function modelTrace(scenario: Scenario, mode: string, size: Size, schedule: readonly number[]): ModelTrace {
  if (schedule.length === 0) throw new UsageError('{schedule} is empty: list which thread takes each step, for example 1,2,1,2');
  if (schedule.length > MAX_REPLAY_STEPS) throw tooLong();
  const memory = startingMemory(scenario, size);
  const states: ThreadState[] = Array.from({ length: size.threads }, newThreadState);
  const taken = new Array<number>(size.threads).fill(0);
  const heldBefore: boolean[] = [];
  const steps = schedule.map((thread, i): TraceStep => {
    const state = states[thread - 1];
    if (!state) {
      throw new UsageError(`{schedule} entry ${i + 1} is thread ${thread}, but there ${size.threads === 1 ? 'is only 1 thread' : `are only ${size.threads} threads`}`);
    }
    if (scenario.isDone(mode, state, size)) {
      throw new UsageError(`{schedule} entry ${i + 1} gives thread ${thread} a step, but it has already taken all ${plural(taken[thread - 1]!, 'step')} it takes`);
    }
    heldBefore.push(memory.holder() === thread);
    const before = memory.values.slice();
    const stateBefore = { ...state };
    const step = scenario.step(mode, thread, state, memory, size);
    taken[thread - 1]!++;
    const note = scenario.annotate?.(step, before, memory.values, stateBefore, size) ?? null;
    return { step: i + 1, thread, action: step.action, value: step.value, watch: memory.values[scenario.watch.cell]!, note };
  });
  const unfinished = states.map((state, i) => (scenario.isDone(mode, state, size) ? 0 : i + 1)).filter((t) => t > 0);
  if (unfinished.length > 0) {
    throw new UsageError(
      `{schedule} ends after ${plural(schedule.length, 'step')} with ${unfinished.length === 1 ? 'thread' : 'threads'} ${unfinished.join(', ')} unfinished: ` +
        `each thread needs steps until its ${plural(size.iters, scenario.operation)} ${size.iters === 1 ? 'is' : 'are'} done`,
    );
  }
  return { steps, cells: memory.values, heldBefore };
}

function tooLong(): UsageError {
  return new UsageError(`a replay of more than ${formatInt(MAX_REPLAY_STEPS)} steps is too long to show; replay prints every step: lower {threads} or {iters}`);
}
