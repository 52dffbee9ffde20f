/**
 * What a scenario is: one module with its shared cells, its threads' steps, its invariant and its words.
 * `run` (free-running real threads), `replay` (real threads through a turnstile) and `explore` (the exact
 * model) all execute its `step`, so the three cannot disagree about what a step is. Nothing here may
 * import from `node:`: a scenario runs wherever JavaScript has a SharedArrayBuffer.
 *
 * Words: a *cell* is one Int32 slot of the scenario's shared memory; an *operation* is what one pass of
 * a thread's loop does (an increment, an append, a withdrawal), and `iters` counts them per thread; a
 * *step* is one indivisible part of an operation, the unit that replay schedules and the model counts.
 */

/** The scenario's shared memory as one thread sees it: plain loads and stores race, the rest is indivisible. */
export interface Memory {
  load(cell: number): number;
  store(cell: number, value: number): void;
  /**
   * Writes a cell that only this thread writes and no thread reads while they run (its results): a
   * plain store that takes part in no race, so no model of memory buffers it or counts it as a move.
   */
  keep(cell: number, value: number): void;
  /** `Atomics.load`: never torn, and ordered with every other atomic access (a plain load on x86). */
  atomicLoad(cell: number): number;
  /** `Atomics.store`: sequentially consistent, so a later load cannot pass it (on x86 it drains the store buffer). */
  atomicStore(cell: number, value: number): void;
  /** Indivisible: adds `value` and returns what the cell held before. */
  fetchAdd(cell: number, value: number): number;
  /** Indivisible: writes `value` and returns what the cell held before (`Atomics.exchange`, XCHG on x86). */
  exchange(cell: number, value: number): number;
  /** Indivisible: writes `value` only if the cell holds `expected`; returns what it held. */
  compareExchange(cell: number, expected: number, value: number): number;
  /** A full fence (MFENCE): no access after it is seen before an access before it. */
  fence(): void;
  /**
   * Takes lock `lock` (default 0, the scenario's only lock unless it has more) for `thread`. False when
   * another thread holds it: the step must then change nothing and return the action `blocked` (a
   * free-running thread waits instead, and gets it).
   */
  tryLock(thread: number, lock?: number): boolean;
  unlock(lock?: number): void;
  /** The thread holding the lock, 0 when it is free. */
  holder(lock?: number): number;
}

/** What a thread carries from one step to the next. */
export interface ThreadState {
  /** Where the thread is in its operation's steps. */
  pc: number;
  /** The value it last read, which a later step may use. */
  register: number;
  /** Operations finished. */
  done: number;
}

export function newThreadState(): ThreadState {
  return { pc: 0, register: 0, done: 0 };
}

/** Where a replayed step was taken, for its note. */
export interface StepContext {
  readonly mode: string;
  readonly thread: number;
  readonly size: Size;
  /** The cells before the step and after it. */
  readonly before: Int32Array;
  readonly after: Int32Array;
  /** The thread's state before the step. */
  readonly state: ThreadState;
}

/**
 * What a step did, as the trace shows it: its action, and the value it read or wrote. Two actions mean the same to every engine: `blocked` (the thread cannot
 * move yet and changed nothing: a lock was taken, and `value` is its holder; or a partner has not
 * arrived) and `retry` (the step found the memory moved and sent the thread back, as a failed
 * compare-exchange does).
 */
export interface StepResult {
  readonly action: string;
  readonly value: number | null;
  /** The line of the mode's code it ran (1-based), where only running it tells (a plain function's access); else the program's lineAt says. */
  readonly line?: number;
}

export const BLOCKED = 'blocked';
export const RETRY = 'retry';

export interface Size {
  readonly threads: number;
  /** Operations per thread. */
  readonly iters: number;
}

/** One way to run the scenario: the race, or one of its fixes. */
export interface ModeSpec {
  readonly name: string;
  /** Whether this mode can break the invariant: true for the race, false for a fix. */
  readonly racy: boolean;
  /** The lock around the critical section, if the mode takes one: a futex mutex, or a spin lock. */
  readonly lock?: 'mutex' | 'spin';
  /** Whether a step of this mode can send the thread back (`retry`): the report then counts retries. */
  readonly retries?: boolean;
  /**
   * Whether its threads meet at a rendezvous every operation (reorder's rounds): on a busy machine each
   * operation may then wait for the other thread to be scheduled, which the default timeout allows for.
   */
  readonly meets?: boolean;
  /**
   * The steps after which `--widen` sleeps: a read whose value a later write of the same operation uses.
   * The sleep opens the gap between them, whatever the scenario's read and write are.
   */
  readonly gapAfter: readonly string[];
  /** Why the mode ends as it does, in one or two sentences. */
  readonly explanation: string;
  /**
   * One operation's code, a line per step: line k is what a thread runs when its pc (mod the lines)
   * is k. Replay shows it, and which line each step ran; build it from the same table the step
   * dispatches on, so that it cannot drift from what the threads run. For a test written as code: the
   * file's lines, a step's line being the file's.
   */
  readonly code?: readonly string[];
  /** The lines of `code` a replay shows (1-based, inclusive): all of them where not given. */
  readonly codeLines?: { readonly from: number; readonly to: number };
}

/** How a run ended, in the scenario's own terms. */
export interface Outcome {
  readonly expected: number;
  readonly actual: number;
  /** expected − actual where that counts updates lost; null where it does not. */
  readonly lost: number | null;
  /** Whether the invariant held. */
  readonly ok: boolean;
  /** The scenario's own JSON fields (`missingItems`, `overdrawn`, …); never one of the common names. */
  readonly details: Readonly<Record<string, unknown>>;
  /** What happened, in plain sentences, for the human report. */
  readonly lines: readonly string[];
  /** For a scenario whose ends are values: each end the threads left, and how many rounds ended there. */
  readonly ends?: readonly SeenEnd[];
}

/** What one model of memory allows of a test's ends: those it reaches (null where it could not count them within its limits). */
export interface ModelVerdict {
  readonly model: string;
  readonly reachable: readonly EndValues[] | null;
}

/** An end real threads left, how often, and what the test makes of it. */
export interface SeenEnd extends EndJudgement {
  readonly values: EndValues;
  readonly rounds: number;
  readonly perMillion: number;
  readonly wilson95: { readonly low: number; readonly high: number };
}

/** A goal for the player of `race-demo play`: what to aim for, in words, and whether an end reached it. */
export interface PlayGoal {
  /** After "Goal: ", as an instruction: "make the counter end below 2". */
  readonly text: string;
  reached(cells: Int32Array): boolean;
}

/** A scenario's own table of a run's result: a title, the column headings, and rows of entries (`bad` rows painted red). */
export interface OutcomeTable {
  readonly title: string;
  readonly heading: readonly string[];
  readonly rows: readonly { readonly entries: readonly string[]; readonly bad: boolean }[];
  /** Each column's alignment (default: all left). */
  readonly align?: readonly ('left' | 'right')[];
}

/** A note on a replayed step; `bad` when it is where the invariant breaks (the report paints it red). */
export interface Note {
  readonly text: string;
  readonly bad: boolean;
}

/** One step of a trace, as replay reports it. */
export interface TraceStep {
  /** 1-based. */
  readonly step: number;
  readonly thread: number;
  readonly action: string;
  readonly value: number | null;
  /** The watched cell after the step (the counter, the list's length, the balance). */
  readonly watch: number;
  /** The line of the mode's code the step ran (1-based), or null where the mode has no code. */
  readonly line: number | null;
  /** The shared cells after the step, in the scenario's words. */
  readonly shared: string;
  readonly note: Note | null;
}

/**
 * What a free-running thread saw of the race while it ran: a *sighting* of the invariant breaking in
 * the act (a write over a value it did not read, an overwritten slot, a payment that was not covered).
 * A thread keeps its count, and the sighting that cost the most as a kind and two numbers.
 */
export interface Sightings {
  record(kind: number, cost: number, a: number, b: number): void;
}

/** The largest sighting of a run, described by its scenario. */
export interface Sighting {
  readonly thread: number;
  /** The scenario's name for the kind: "went-back", "overwrite", "uncovered". */
  readonly kind: string;
  /** How much this one sighting broke: updates lost, items erased, money paid that was not there. */
  readonly cost: number;
  /** The sighting in one sentence. */
  readonly text: string;
  /** The steps that made it, as a small table: who did what, and the watched cell after. */
  readonly steps: readonly { readonly who: string; readonly did: string; readonly watch: string; readonly note: string; readonly bad: boolean }[];
  /** The sighting's own numbers, by name, for JSON. */
  readonly values: Readonly<Record<string, number>>;
}

/** What a hand-written loop is given: where to put what it saw and what it did. */
export interface LoopContext {
  /** This thread's four evidence cells (core/thread-cells.ts; runtime/protocol.ts lays them out). */
  readonly evidence: Int32Array;
  /** This thread's statistics cells; the loop fills in its lock counts and retries. */
  readonly stats: Int32Array;
  readonly thread: number;
  /** Count lock acquisitions, sleeps and so on (a cost in the loop, so only when asked). */
  readonly counting: boolean;
  /** The mutex's looks at a taken lock before it sleeps. */
  readonly lockSpins: number;
  /** The thread's shared memory with the mode's locks (they wait, and tell the wait board), for a loop that takes them. */
  readonly memory: Memory;
}

/** Runs `iters` more operations of one thread on the scenario's cells, as fast as it can. */
export type Loop = (cells: Int32Array, iters: number, context: LoopContext) => void;

/** An exact count of interleavings by measure, from a scenario's own model. */
export interface Exploration {
  /**
   * Per end: the measure, and `stuck: true` where threads were left that could never move (a deadlock)
   * instead of all done; for a scenario whose ends are values (Scenario.ends), the end's values.
   */
  readonly outcomes: readonly { readonly final: number; readonly count: bigint; readonly stuck?: boolean; readonly values?: EndValues }[];
  readonly statesVisited: number;
  /** A schedule (1-based thread per step) that ends at each of the smallest and largest measure. */
  readonly min: { readonly final: number; readonly schedule: readonly number[] };
  readonly max: { readonly final: number; readonly schedule: readonly number[] };
  /** Where the model found one for every end (a few ends at most): a schedule to each, in the order of `outcomes`. */
  readonly witnesses?: readonly (readonly number[])[];
}

/** An end's values by name: a test's registers ("r1", "0:EAX") and its shared variables ("x"). */
export type EndValues = Readonly<Record<string, number>>;

/** What a scenario whose ends are values makes of one: whether it breaks what it expects, and in its own words. */
export interface EndJudgement {
  readonly broken: boolean;
  /**
   * Whether the end is what the test asks about: a litmus condition's witness, an outcome declared
   * interesting or forbidden, a broken invariant. A model's verdict is whether any end it reaches is.
   */
  readonly asked: boolean;
  /** allowed, forbidden or interesting, as the test declared it (or, for an end it did not, forbidden). */
  readonly expect: string;
  readonly description: string;
}

/** A scenario's own exact model, for the sizes it can do; every hook is checked against the generic model. */
export interface FastModel {
  /** Bytes one state may take, for the memory estimate made before the work. */
  bytesPerState(mode: string, size: Size): number;
  /** Bytes taken whatever the number of states (tables built up front). */
  fixedBytes(mode: string, size: Size): number;
  /** Whether it can count this mode at this size; the generic model counts the rest. */
  handles(mode: string, size: Size): boolean;
  /** Counts; throws StateLimitError past `maxStates`; writes states found so far into `progress[0]`. */
  explore(mode: string, size: Size, maxStates: number, progress: Int32Array): Exploration;
}

/** What runs the engines: Node (the CLI and the library), or a browser page. */
export type PlatformKind = 'node' | 'browser';

/** Optional ways a scenario makes itself faster; each is checked by a test against the generic path. */
export interface Hooks {
  /** A hand-written loop per mode for free-running threads; null where the generic step loop runs. */
  loop?(mode: string, options: { readonly widen: boolean; readonly evidence: boolean; readonly size: Size }): Loop | null;
  /** Its own exact model, loaded only by explore. */
  model?(): Promise<FastModel>;
  /**
   * Where its own model can run (default: wherever the engines do). Elsewhere explore counts with the
   * generic model, which gives the same counts, and never loads the scenario's own.
   */
  readonly modelRunsOn?: readonly PlatformKind[];
}

export interface Scenario {
  readonly name: string;
  /** One line: what the threads do. */
  readonly summary: string;
  /** What one operation is called: "increment", "append", "withdrawal". */
  readonly operation: string;
  /** What `actual` counts, and the model groups interleavings by: "the counter", "items in the list". */
  readonly measure: string;
  /** The race first, then its fixes. */
  readonly modes: readonly ModeSpec[];
  /** The shared cells after a replayed step, in a few words ("balance 0, paid 20"); default: the watched cell. */
  showCells?(cells: Int32Array, size: Size): string;
  /** The one cell a replay shows after each step. */
  readonly watch: { readonly label: string; readonly cell: number };
  /** Where the locks' cells start: lock k's state is at `lockCell + 2k`, its holder after it (core/locks.ts). */
  readonly lockCell: number;
  /** How many locks there are at this size (default 1); more than one can deadlock, which every engine detects. */
  lockCount?(size: Size): number;
  /** The most operations (threads × iters) a run may ask for: its cells or its numbers grow with them. */
  readonly maxTotal: number;
  /** How many cells it needs; of those, the first `stateCells` are all a step's future depends on. */
  cellCount(size: Size): number;
  stateCells(size: Size): number;
  /** Puts the starting values in the cells (all are 0 before). */
  init(cells: Int32Array, size: Size): void;
  /**
   * Its threads' program in `mode` at `size` (core/machine/program.ts): a thread's state of any width and
   * its next step. Where it has none, its threads run `step` over a ThreadState { pc, register, done }.
   */
  program?(mode: string, size: Size, options: ProgramOptions): Program;
  /** Takes `thread`'s next step (1-based); the state moves on unless the step was `blocked`. */
  step?(mode: string, thread: number, state: ThreadState, memory: Memory, size: Size, seen?: Sightings): StepResult;
  isDone?(mode: string, state: ThreadState, size: Size): boolean;
  /** The number `actual` reports and the model groups by. */
  measureOf(cells: Int32Array, size: Size): number;
  /**
   * Where an end is values rather than a number (a test written as code): its measure is a key of them.
   * `valuesOf` answers in the process that took the measure (the model's worker attaches the values to
   * its outcomes); `judge` says what they mean, anywhere.
   */
  readonly ends?: {
    readonly names: readonly string[];
    /** What the test asks of the models, in words ("exists (0:EAX=0 /\\ 1:EAX=0)"; "r1 = 0, r2 = 0"), where it asks. */
    readonly question?: string;
    valuesOf(measure: number): EndValues | undefined;
    judge(values: EndValues, size: Size): EndJudgement;
  };
  /** How far a free run has got, in words, where `measure at N so far` would not say ("12,345 rounds so far"). */
  progressOf?(cells: Int32Array, size: Size): string;
  /** Whether a run that ends at this measure broke the invariant. */
  breaks(measure: number, size: Size): boolean;
  /** What a broken end is, after "interleavings …": "end below the expected total". */
  readonly broken: string;
  /** Where its cells start, in a sentence, where that matters to the story ("The balance starts at 30: …"); else null. */
  describeStart?(size: Size): string | null;
  /** What `play` asks of the player, and whether the cells at the end meet it; default: an end that breaks the invariant. */
  playGoal?(size: Size): PlayGoal;
  /** The size `run` takes when none is given (default 4 threads × 100,000); its threads, replay, explore and play too. */
  readonly defaults?: Partial<Size>;
  /** The operations replay, explore and play take when none is given, where it is not theirs (a test in rounds: one). */
  readonly stepIters?: number;
  /**
   * Why this size cannot be taken (a test of exactly two threads, say), or null where it can; `use` says
   * by whom: free-running threads (`run`), or step by step (`replay`, `explore`, `play`).
   */
  sizeProblem?(size: Size, use: 'run' | 'steps'): string | null;
  /** Whether `explore` counts it under x86 store buffers (TSO) too, beside the interleavings, by default. */
  readonly storeBuffers?: boolean;
  /**
   * For a test of memory order whose ends are values: the models of memory whose verdict on each end
   * `run` shows beside what the real threads left. An end that none of them allows is never a pass.
   */
  readonly modelsBeside?: readonly string[];
  /** Its own fields of a run's result as a table (the report shows it under the results), or null. */
  table?(result: { readonly mode: string; readonly details: Readonly<Record<string, unknown>>; readonly models?: readonly ModelVerdict[] | null }, size: Size): OutcomeTable | null;
  outcome(mode: string, cells: Int32Array, size: Size): Outcome;
  /** A note for a replayed step, from where it was taken: the cells before and after it, the thread's state before it. */
  annotate?(step: StepResult, at: StepContext): Note | null;
  /** What a whole trace shows, beyond the notes (the counter: which late write erased which increments). */
  explainTrace?(steps: readonly TraceStep[], size: Size): { readonly details: Readonly<Record<string, unknown>>; readonly lines: readonly string[] };
  /** Why a run that broke the invariant may still have no sighting, in the scenario's words (after "a sighting was missed because …"). */
  readonly unseen?: string;
  /** The largest sighting of a run in words: `kind`, `a` and `b` as the thread recorded them. */
  describeSighting?(thread: number, kind: number, a: number, b: number, size: Size): Sighting | null;
  /**
   * Where cells name threads (an item's owner, say), rename them: thread t becomes `renamed[t]`. With it,
   * the model counts states up to a permutation of identical threads; the lock's holder is renamed for it.
   */
  renameThreads?(cells: Int32Array, renamed: Int32Array, size: Size): void;
  readonly hooks?: Hooks;
}

/**
 * A thread's program as every engine runs it: its state is `width` Int32 words (any width: a step
 * machine's pc, register and count of operations; a plain function's reads so far), and it takes one
 * step at a time on a `Memory`, whichever it is: the exact model's (under any model of memory), or real
 * shared memory on a real thread. The model, the count by preemptions, the schedule runner, the replay
 * turnstile and the free-running step loop all take steps through this and nothing else.
 */
export interface Program {
  /** Int32 words of one thread's state. */
  readonly width: number;
  /** Writes the state of `thread` (1-based) before its first step. */
  start(thread: number, words: Int32Array): void;
  /** Whether the thread has taken its last step. */
  isDone(thread: number, words: Int32Array): boolean;
  /** The operations it has finished. */
  operations(words: Int32Array): number;
  /** Takes the thread's next step on `memory`; its words move on unless the step was `blocked`. */
  step(thread: number, words: Int32Array, memory: Memory, seen?: Sightings): StepResult;
  /** The line of the mode's code (1-based) that the next step from `words` runs, where the words alone tell; else null. */
  lineAt?(words: Int32Array): number | null;
  /** The words as the scenario's own ThreadState, for its notes on a replayed step. */
  threadState?(words: Int32Array): ThreadState;
}

/** What an engine asks of a program besides its steps. */
export interface ProgramOptions {
  /** Say which line of the code each step ran (a replay shows it; the exact model has no use for it). */
  readonly lines?: boolean;
  /** Keep a thread's words as few as it can: the exact model keeps millions of states. */
  readonly compact?: boolean;
}

/** The mode called `name`, or undefined. */
export function modeOf(scenario: Scenario, name: string): ModeSpec | undefined {
  return scenario.modes.find((mode) => mode.name === name);
}

export function modeNames(scenario: Scenario): string[] {
  return scenario.modes.map((mode) => mode.name);
}
