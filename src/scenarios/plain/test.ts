import type { Program, ProgramOptions } from '../../core/machine/program.js';
import type { Size } from '../../core/scenario.js';

// A test written as plain code: shared variables, a function per thread (or one for every thread), and
// what to expect of the ends, as jcstress declares outcomes; or a litmus test, read into the same shape.
// scenarios/plain/scenario.ts makes a Scenario of it, so every engine and report takes it as it is.

/** A thread's helpers for what plain property reads and writes cannot say: Atomics operations, fences and locks. */
export interface ThreadTools {
  /** This thread (1-based), and how many there are. */
  readonly thread: number;
  readonly threads: number;
  /** `Atomics.load`. */
  load(name: string): number;
  /** `Atomics.store`: sequentially consistent (an XCHG on x86). */
  store(name: string, value: number): void;
  /** `Atomics.add`: returns what the variable held before. */
  add(name: string, value: number): number;
  /** `Atomics.exchange`: returns what the variable held before. */
  exchange(name: string, value: number): number;
  /** `Atomics.compareExchange`: writes `value` only if the variable holds `expected`; returns what it held. */
  cas(name: string, expected: number, value: number): number;
  /** A full fence (MFENCE). */
  fence(): void;
  /** Takes lock `lock` (default 0), waiting while another thread holds it; `unlock` lets it go. */
  lock(lock?: number): void;
  unlock(lock?: number): void;
}

/** One operation of one thread: `s.x` reads and writes the shared variables, `r.name = …` keeps a result. */
export type ThreadFunction = (s: Record<string, number>, r: Record<string, number>, t: ThreadTools) => void;

export type Expectation = 'allowed' | 'forbidden' | 'interesting';
export const EXPECTATIONS: readonly Expectation[] = ['allowed', 'forbidden', 'interesting'];

export type { EndValues } from '../../core/scenario.js';
import type { EndValues } from '../../core/scenario.js';

/** A declared outcome: a condition on an end's values, what to make of the ends it matches, and why. */
export interface TestOutcome {
  readonly expect: Expectation;
  readonly description: string;
  /** The condition in words ("r1 = 0, r2 = 0"; "any other"); for the report. */
  readonly condition: string;
  matches(values: EndValues): boolean;
}

/** What an end is judged by: declared outcomes (each operation a round of its own), or an invariant over all of them. */
export type Judge =
  | { readonly kind: 'outcomes'; readonly outcomes: readonly TestOutcome[] }
  | {
      readonly kind: 'invariant';
      /** The invariant in words: the function's text, or what `expected` gives. */
      readonly text: string;
      holds(values: EndValues, size: Size): boolean;
      /** Where the test says what each value should end at (`expected`): those values, for the report's expected and actual. */
      expected?(size: Size): Readonly<Record<string, number>>;
    };

/** A register: its name in outcomes, the thread that writes it, and the name that thread writes it by. */
export interface Register {
  readonly name: string;
  readonly thread: number;
  readonly key: string;
}

export interface TestMode {
  readonly name: string;
  /** The first mode is the race, the rest its fixes. */
  readonly racy: boolean;
  readonly explanation: string;
  /** What real free-running threads call once per operation: one function per thread, or one for every thread. */
  readonly functions: readonly ThreadFunction[];
  /** The lines of the file its threads' code spans (1-based, inclusive), for the code a replay shows; null where unknown. */
  readonly lines: { readonly from: number; readonly to: number } | null;
}

/** Where a program finds a test's values in the cells at one size (scenarios/plain/layout.ts lays them out). */
export interface TestCells {
  /** Variable `variable`'s cell in round `round` (0-based). */
  variable(variable: number, round: number): number;
  /** Register `register`'s cell in round `round`. */
  register(register: number, round: number): number;
}

/** Whose step taking the model and replay use: a program built for a mode at a size on the test's cells. */
export type ProgramMaker = (mode: TestMode, size: Size, cells: TestCells, options: ProgramOptions) => Program;

export interface PlainTest {
  /** What reports call it: the file's name ("sb.litmus", "counter.mjs"). */
  readonly name: string;
  /** The file, as a report shows it, and its URL (as a stack names it). */
  readonly file: string;
  readonly url: string;
  /** One line: what the threads do. */
  readonly summary: string;
  readonly variables: readonly { readonly name: string; readonly start: number }[];
  readonly registers: readonly Register[];
  /** Locks its threads take (lock 0 … locks − 1). */
  readonly locks: number;
  readonly modes: readonly TestMode[];
  /** How many threads it has, or null where one function runs on every thread (--threads says how many). */
  readonly threads: number | null;
  /**
   * Whether its threads are interchangeable (one function for all, no registers, never asking t.thread):
   * the model then counts states up to which thread is which.
   */
  readonly symmetric: boolean;
  readonly judge: Judge;
  /** Names whose final values make an end, in order: registers, then the variables that matter. */
  readonly observed: readonly string[];
  /** The file's lines, for the code a replay shows. */
  readonly source: readonly string[];
  /** How the model and a replay take a thread's steps. */
  readonly program: ProgramMaker;
  /** Accesses one operation may make in a compact program's words: what a thread made alone, grown as the model finds more. */
  readonly capacity: AccessCapacity;
  /** Where the file asks a question of the models (a litmus condition): the outcomes that answer it. */
  readonly question?: { readonly text: string; readonly quantifier: 'exists' | '~exists' | 'forall'; witness(values: EndValues): boolean };
}

/** How many accesses of one operation a compact program's words hold; the model grows it, and counts again. */
export class AccessCapacity {
  constructor(public accesses: number) {}

  grow(accesses: number): void {
    this.accesses = Math.max(this.accesses, accesses);
  }
}

/** Whether each operation is a round of its own (fresh variables, the threads meeting first): declared outcomes. */
export function inRounds(test: PlainTest): boolean {
  return test.judge.kind === 'outcomes';
}
