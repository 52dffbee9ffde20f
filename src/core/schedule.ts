import { findAnyCycle, lockCount, locksHeldBy, type WaitLink } from './locks.js';
import { PlainMemory } from './plain-memory.js';
import { BLOCKED, newThreadState, type Scenario, type Size, type ThreadState, type TraceStep } from './scenario.js';
import { formatInt, plural } from './text.js';
import { UsageError } from '../errors.js';

/** Replay prints every step; past this a trace is no longer something to read. */
export const MAX_REPLAY_STEPS = 10_000;

/** The schedule run on the model: the trace the threads must give, and what else a replay needs of it. */
export interface ModelTrace {
  /** The schedule as run: the one given, and where it left threads stuck, a last try by each to show what it waits for. */
  readonly schedule: readonly number[];
  readonly steps: readonly TraceStep[];
  /** The cells at the end. */
  readonly cells: Int32Array;
  /** Per step, whether the thread on turn held a lock before it. */
  readonly heldBefore: readonly boolean[];
  /** The threads it left unable ever to move (a deadlock; empty when all are done), and their cycle of waits for locks if there is one. */
  readonly stuck: readonly number[];
  readonly cycle: WaitLink[] | null;
}

function startingMemory(scenario: Scenario, size: Size): PlainMemory {
  const values = new Int32Array(scenario.cellCount(size));
  scenario.init(values, size);
  return new PlainMemory(values, scenario.lockCell, size.threads);
}

/** Whether `thread` could take a step now: it is not done and its next step is not blocked. Changes nothing. */
function canMove(scenario: Scenario, mode: string, size: Size, memory: PlainMemory, state: ThreadState, thread: number): boolean {
  if (scenario.isDone(mode, state, size)) return false;
  const cells = memory.values.slice();
  const before = { ...state };
  const moved = scenario.step(mode, thread, state, memory, size).action !== BLOCKED;
  memory.values.set(cells);
  Object.assign(state, before);
  return moved;
}

/** The threads not done, when none of them can move; empty when some thread can move or all are done. */
function stuckThreads(scenario: Scenario, mode: string, size: Size, memory: PlainMemory, states: ThreadState[]): number[] {
  const unfinished = states.flatMap((state, i) => (scenario.isDone(mode, state, size) ? [] : [i + 1]));
  return unfinished.every((thread) => !canMove(scenario, mode, size, memory, states[thread - 1]!, thread)) ? unfinished : [];
}

/**
 * Where a schedule leaves threads stuck: one more (blocked) step for each that has not tried since the
 * last change, so that the trace shows what every one of them waits for, and the real threads say so.
 */
function lastTries(schedule: readonly number[], blocked: readonly boolean[], stuck: readonly number[]): number[] {
  const tried = new Set<number>();
  for (let i = schedule.length - 1; i >= 0 && blocked[i]; i--) tried.add(schedule[i]!);
  return stuck.filter((thread) => !tried.has(thread));
}

/**
 * Each thread in turn takes its next step (a blocked step counts), skipping those that are done: 1,2,1,2
 * for 2 × 1 unsafe. Where the threads get stuck for good, it ends with each one's try at what it waits for.
 */
export function defaultSchedule(scenario: Scenario, mode: string, size: Size): number[] {
  const memory = startingMemory(scenario, size);
  const states = Array.from({ length: size.threads }, newThreadState);
  const schedule: number[] = [];
  const blocked: boolean[] = [];
  while (states.some((state) => !scenario.isDone(mode, state, size))) {
    for (let thread = 1; thread <= size.threads; thread++) {
      if (scenario.isDone(mode, states[thread - 1]!, size)) continue;
      blocked.push(scenario.step(mode, thread, states[thread - 1]!, memory, size).action === BLOCKED);
      schedule.push(thread);
    }
    const stuck = stuckThreads(scenario, mode, size, memory, states);
    if (stuck.length > 0) return [...schedule, ...lastTries(schedule, blocked, stuck)];
    if (schedule.length > MAX_REPLAY_STEPS) throw tooLong();
  }
  return schedule;
}

/**
 * The fewest steps any schedule takes: each thread runs on alone until it is done or has to wait,
 * then the next (nothing retries; a wait lets the others on). Counted without keeping the schedule,
 * and stopped past `limit`.
 */
export function shortestScheduleLength(scenario: Scenario, mode: string, size: Size, limit: number): number {
  const memory = startingMemory(scenario, size);
  const states = Array.from({ length: size.threads }, newThreadState);
  let steps = 0;
  for (let moved = true; moved && steps <= limit; ) {
    moved = false;
    for (let thread = 1; thread <= size.threads && steps <= limit; thread++) {
      const state = states[thread - 1]!;
      while (!scenario.isDone(mode, state, size) && steps <= limit) {
        if (scenario.step(mode, thread, state, memory, size).action === BLOCKED) break;
        steps++;
        moved = true;
      }
    }
  }
  return steps;
}

/**
 * Runs the schedule on the model and returns the trace it must give; refuses, before any thread starts,
 * a schedule that names an unknown thread, gives a step to a thread that is done, or ends while a
 * thread could still move. One that ends with the threads stuck for good (a deadlock) is run as far as
 * that, plus a last try by each stuck thread that has not just tried.
 */
export function modelTrace(scenario: Scenario, mode: string, size: Size, given: readonly number[]): ModelTrace {
  if (given.length === 0) throw new UsageError('{schedule} is empty: list which thread takes each step, for example 1,2,1,2');
  if (given.length > MAX_REPLAY_STEPS) throw tooLong();
  const memory = startingMemory(scenario, size);
  const states: ThreadState[] = Array.from({ length: size.threads }, newThreadState);
  const taken = new Array<number>(size.threads).fill(0);
  const heldBefore: boolean[] = [];
  const steps: TraceStep[] = [];
  const locks = lockCount(scenario, size);
  const take = (thread: number, i: number): void => {
    const state = states[thread - 1];
    if (!state) {
      throw new UsageError(`{schedule} entry ${i + 1} is thread ${thread}, but there ${size.threads === 1 ? 'is only 1 thread' : `are only ${size.threads} threads`}`);
    }
    if (scenario.isDone(mode, state, size)) {
      throw new UsageError(`{schedule} entry ${i + 1} gives thread ${thread} a step, but it has already taken all ${plural(taken[thread - 1]!, 'step')} it takes`);
    }
    heldBefore.push(locksHeldBy(memory.values, scenario.lockCell, locks, thread).length > 0);
    const before = memory.values.slice();
    const stateBefore = { ...state };
    const step = scenario.step(mode, thread, state, memory, size);
    taken[thread - 1]!++;
    const note = scenario.annotate?.(step, { mode, thread, size, before, after: memory.values, state: stateBefore }) ?? null;
    steps.push({ step: i + 1, thread, action: step.action, value: step.value, watch: memory.values[scenario.watch.cell]!, note });
  };
  given.forEach(take);
  const unfinished = states.map((state, i) => (scenario.isDone(mode, state, size) ? 0 : i + 1)).filter((t) => t > 0);
  const stuck = unfinished.length > 0 ? stuckThreads(scenario, mode, size, memory, states) : [];
  if (unfinished.length > 0 && stuck.length === 0) {
    throw new UsageError(
      `{schedule} ends after ${plural(given.length, 'step')} with ${unfinished.length === 1 ? 'thread' : 'threads'} ${unfinished.join(', ')} unfinished: ` +
        `each thread needs steps until its ${plural(size.iters, scenario.operation)} ${size.iters === 1 ? 'is' : 'are'} done`,
    );
  }
  const schedule = [...given];
  if (stuck.length > 0) {
    const more = lastTries(schedule, steps.map((s) => s.action === BLOCKED), stuck);
    if (schedule.length + more.length > MAX_REPLAY_STEPS) throw tooLong();
    for (const thread of more) take(thread, schedule.push(thread) - 1);
  }
  return { schedule, steps, cells: memory.values, heldBefore, stuck, cycle: stuck.length > 0 ? findAnyCycle(memory.waitsView()) : null };
}

function tooLong(): UsageError {
  return new UsageError(`a replay of more than ${formatInt(MAX_REPLAY_STEPS)} steps is too long to show; replay prints every step: lower {threads} or {iters}`);
}
