import { findAnyCycle, lockCount, locksHeldBy, type WaitLink } from './locks.js';
import { PlainMemory } from './plain-memory.js';
import { BLOCKED, modeOf, newThreadState, type Scenario, type Size, type ThreadState, type TraceStep } from './scenario.js';
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
 * One schedule on the model, a step at a time: what each step does and the note on it, exactly as a
 * replay must see it on the threads. `modelTrace` runs a whole schedule through it; an interactive
 * replay or a game of `play` takes its steps one by one.
 */
export class ModelRun {
  readonly steps: TraceStep[] = [];
  readonly schedule: number[] = [];
  /** Per step, whether the thread on turn held a lock before it. */
  readonly heldBefore: boolean[] = [];
  private readonly memory: PlainMemory;
  private readonly states: ThreadState[];
  private readonly taken: number[];
  private readonly locks: number;
  private readonly code: readonly string[] | undefined;

  constructor(
    readonly scenario: Scenario,
    readonly mode: string,
    readonly size: Size,
  ) {
    this.memory = startingMemory(scenario, size);
    this.states = Array.from({ length: size.threads }, newThreadState);
    this.taken = new Array<number>(size.threads).fill(0);
    this.locks = lockCount(scenario, size);
    this.code = modeOf(scenario, mode)?.code;
  }

  get cells(): Int32Array {
    return this.memory.values;
  }

  has(thread: number): boolean {
    return Number.isInteger(thread) && thread >= 1 && thread <= this.size.threads;
  }

  /** The steps `thread` has taken. */
  stepsOf(thread: number): number {
    return this.taken[thread - 1] ?? 0;
  }

  /** Why `thread` cannot take the next step (no such thread, or it is done), or null where it can. */
  refusal(thread: number): string | null {
    const { size } = this;
    const state = this.has(thread) ? this.states[thread - 1] : undefined;
    if (!state) return `there ${size.threads === 1 ? 'is only 1 thread' : `are only ${size.threads} threads`}`;
    if (this.scenario.isDone(this.mode, state, size)) return `thread ${thread} has already taken all ${plural(this.taken[thread - 1]!, 'step')} it takes`;
    return null;
  }

  /** Takes `thread`'s next step; the caller has checked `refusal`. */
  take(thread: number): TraceStep {
    const { scenario, mode, size, memory } = this;
    const state = this.states[thread - 1]!;
    this.heldBefore.push(locksHeldBy(memory.values, scenario.lockCell, this.locks, thread).length > 0);
    const before = memory.values.slice();
    const stateBefore = { ...state };
    const step = scenario.step(mode, thread, state, memory, size);
    this.taken[thread - 1]!++;
    const note = scenario.annotate?.(step, { mode, thread, size, before, after: memory.values, state: stateBefore }) ?? null;
    const line = this.code ? (stateBefore.pc % this.code.length) + 1 : null;
    const watch = memory.values[scenario.watch.cell]!;
    const shared = scenario.showCells?.(memory.values, size) ?? `${scenario.watch.label} ${formatInt(watch)}`;
    const traced: TraceStep = { step: this.steps.length + 1, thread, action: step.action, value: step.value, watch, line, shared, note };
    this.steps.push(traced);
    this.schedule.push(thread);
    return traced;
  }

  /** The threads not done. */
  unfinished(): number[] {
    return this.states.flatMap((state, i) => (this.scenario.isDone(this.mode, state, this.size) ? [] : [i + 1]));
  }

  /** The line of the mode's code `thread` runs next (1-based), or null where it is done or the mode shows no code. */
  nextLine(thread: number): number | null {
    const state = this.states[thread - 1];
    if (!this.code || !state || this.scenario.isDone(this.mode, state, this.size)) return null;
    return (state.pc % this.code.length) + 1;
  }

  /** Whether `thread` could take a step now (not done, and not blocked). */
  canMove(thread: number): boolean {
    return canMove(this.scenario, this.mode, this.size, this.memory, this.states[thread - 1]!, thread);
  }

  /** The threads not done, when none of them can move (a deadlock); empty otherwise. */
  stuck(): number[] {
    return this.unfinished().length > 0 ? stuckThreads(this.scenario, this.mode, this.size, this.memory, this.states) : [];
  }

  /** The stuck threads that have not tried since the last change: each one's last try shows what it waits for. */
  lastTries(): number[] {
    return lastTries(this.schedule, this.steps.map((s) => s.action === BLOCKED), this.stuck());
  }

  /** The cycle of waits for locks that holds the stuck threads, if there is one. */
  cycle(): WaitLink[] | null {
    return this.stuck().length > 0 ? findAnyCycle(this.memory.waitsView()) : null;
  }
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
  const run = new ModelRun(scenario, mode, size);
  // Counted in steps, not in what was written: 1x3,2 is four steps.
  given.forEach((thread, i) => {
    if (!run.has(thread)) throw new UsageError(`{schedule}'s step ${i + 1} is thread ${thread}, but ${run.refusal(thread)!}`);
    if (run.refusal(thread)) {
      const taken = run.stepsOf(thread) === 1 ? 'its only step' : `all ${plural(run.stepsOf(thread), 'step')} it takes`;
      throw new UsageError(`{schedule}'s step ${i + 1} is thread ${thread}'s, but it has already taken ${taken}`);
    }
    run.take(thread);
  });
  const unfinished = run.unfinished();
  const stuck = run.stuck();
  if (unfinished.length > 0 && stuck.length === 0) {
    throw new UsageError(
      `{schedule} ends after ${plural(given.length, 'step')} with ${unfinished.length === 1 ? 'thread' : 'threads'} ${unfinished.join(', ')} unfinished: ` +
        `each thread needs steps until its ${plural(size.iters, scenario.operation)} ${size.iters === 1 ? 'is' : 'are'} done`,
    );
  }
  const more = run.lastTries();
  if (given.length + more.length > MAX_REPLAY_STEPS) throw tooLong();
  for (const thread of more) run.take(thread);
  return { schedule: run.schedule, steps: run.steps, cells: run.cells, heldBefore: run.heldBefore, stuck, cycle: run.cycle() };
}

function tooLong(): UsageError {
  return new UsageError(`a replay of more than ${formatInt(MAX_REPLAY_STEPS)} steps is too long to show; replay prints every step: lower {threads} or {iters}`);
}
