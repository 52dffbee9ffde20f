import { InconsistentModelError } from '../../errors.js';
import type { Memory, Program, ProgramOptions, Scenario, Sightings, Size, StepResult, ThreadState } from '../scenario.js';

// A thread's program (the contract is Scenario's: core/scenario.ts) as the engines get it: a scenario's
// own, or its step function's; and what a compact program says when its words must grow.
export type { Program, ProgramOptions } from '../scenario.js';

/**
 * A compact program met a thread whose state outgrew its words (a plain function that made more accesses
 * in one operation than it did alone). The program has made room for more: run the model again.
 */
export class ProgramWidthError extends Error {
  constructor(readonly needed: number) {
    super(`a thread's state needs ${needed} words`);
  }
}

/** Runs `count` (which builds its programs afresh) again, each time a compact program had to grow. */
export function countWithRoom<T>(count: () => T): T {
  for (;;) {
    try {
      return count();
    } catch (error) {
      if (!(error instanceof ProgramWidthError)) throw error;
    }
  }
}

/** The program of `scenario`'s threads in `mode` at `size`: its own, or its step function's. */
export function programOf(scenario: Scenario, mode: string, size: Size, options: ProgramOptions = {}): Program {
  if (scenario.program) return scenario.program(mode, size, options);
  if (!scenario.step || !scenario.isDone) throw new InconsistentModelError(`the ${scenario.name} scenario has neither a program nor a step function`);
  return new StepProgram(scenario, mode, size);
}

// A step function's thread state, in three words: the only place they are packed.
const PC = 0;
const REGISTER = 1;
const DONE = 2;

/** A scenario's `step` and `isDone`, over a ThreadState { pc, register, done } kept in three words. */
class StepProgram implements Program {
  readonly width = 3;
  private readonly state: ThreadState = { pc: 0, register: 0, done: 0 };
  private readonly step_: NonNullable<Scenario['step']>;
  private readonly isDone_: NonNullable<Scenario['isDone']>;
  /** Lines of the mode's code, or 0 where it shows none. */
  private readonly lines: number;

  constructor(
    scenario: Scenario,
    private readonly mode: string,
    private readonly size: Size,
  ) {
    this.step_ = scenario.step!.bind(scenario);
    this.isDone_ = scenario.isDone!.bind(scenario);
    this.lines = scenario.modes.find((spec) => spec.name === mode)?.code?.length ?? 0;
  }

  start(_thread: number, words: Int32Array): void {
    words[PC] = 0;
    words[REGISTER] = 0;
    words[DONE] = 0;
  }

  isDone(_thread: number, words: Int32Array): boolean {
    return this.isDone_(this.mode, this.load(words), this.size);
  }

  operations(words: Int32Array): number {
    return words[DONE]!;
  }

  step(thread: number, words: Int32Array, memory: Memory, seen?: Sightings): StepResult {
    const state = this.load(words);
    const result = this.step_(this.mode, thread, state, memory, this.size, seen);
    words[PC] = state.pc;
    words[REGISTER] = state.register;
    words[DONE] = state.done;
    return result;
  }

  lineAt(words: Int32Array): number | null {
    return this.lines > 0 ? (words[PC]! % this.lines) + 1 : null;
  }

  threadState(words: Int32Array): ThreadState {
    return { pc: words[PC]!, register: words[REGISTER]!, done: words[DONE]! };
  }

  private load(words: Int32Array): ThreadState {
    this.state.pc = words[PC]!;
    this.state.register = words[REGISTER]!;
    this.state.done = words[DONE]!;
    return this.state;
  }
}
