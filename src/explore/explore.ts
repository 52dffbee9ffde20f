import { DEFAULT_MAX_STATES, MAX_MAX_STATES } from '../core/limits.js';
import type { EndValues, Exploration, FastModel, Scenario, Size } from '../core/scenario.js';
import { formatInt, plural } from '../core/text.js';
import { StateLimitError, UsageError } from '../errors.js';
import { MAX_REPLAY_STEPS, shortestScheduleLength } from '../core/schedule.js';
import { loadTarget } from '../scenarios/registry.js';
import { memoryBudget, mib } from './budget.js';
import { bytesPerState } from './generic-model.js';
import { MEMORY_MODEL_NAMES, memoryModelNamed } from '../core/memory/models.js';
import type { MemoryModel } from '../core/memory/model.js';
import { runModel } from './run-model.js';
import { currentPlatform } from '../runtime/current-platform.js';


/** The most (state, last thread) pairs explore takes to count interleavings by preemptions: about 0.3 s and 100 MiB here. */
export const PREEMPTION_PAIRS = 200_000;

export interface ExploreOptions {
  /** A built-in scenario's name (default "counter"), or the path of a module that exports a scenario (its code runs). */
  readonly scenario?: string;
  /** Default 2. */
  readonly threads?: number;
  /** Operations per thread; default 2. */
  readonly iters?: number;
  /** Default: the scenario's first mode, its race. */
  readonly mode?: string;
  /** Refuse sizes that would visit more states than this (default 2,000,000, or fewer where memory allows fewer). */
  readonly maxStates?: number;
  /** Refuse, before exploring, sizes whose shortest interleaving replay could not show (explore --replay). */
  readonly forReplay?: boolean;
  /** Count with the scenario's own model where it has one (default true); false: with the generic model. */
  readonly ownModel?: boolean;
  /**
   * The model of memory, by name (core/memory/models.ts). `sc` (default): every interleaving of the
   * steps, each seen by every thread at once. `tso`: x86's store buffers too: a thread's plain stores
   * wait in a buffer of its own, and each flush is a move of its own.
   */
  readonly memoryModel?: string;
  /** Aborting stops the model at once; the promise rejects with an InterruptedError. */
  readonly signal?: AbortSignal;
}

/** One end the model reached: its measure, how many interleavings (a decimal string) end there, and what it means. */
export interface ExploredEnd {
  readonly final: number;
  readonly count: string;
  readonly broken: boolean;
  readonly deadlock: boolean;
  /** For a test written as code or a litmus file: the end's values, what the test makes of them, and a schedule that reaches it (−t: a flush). */
  readonly values?: EndValues;
  readonly expect?: string;
  readonly description?: string;
  readonly asked?: boolean;
  readonly witness?: readonly number[];
}

/** The `explore` result; `--json` prints exactly this object (docs/json.md). Counts are decimal strings. */
export interface ExploreReport {
  readonly schemaVersion: 2;
  readonly command: 'explore';
  readonly scenario: string;
  readonly mode: string;
  readonly threads: number;
  readonly iters: number;
  /** What `final` counts: "the counter", "items in the list", "paid out". */
  readonly measure: string;
  readonly interleavings: string;
  /**
   * Per end: the final measure, how many interleavings end there, whether that end breaks the invariant,
   * and whether the threads got stuck there (a deadlock: threads left that can never move) instead of done.
   */
  readonly outcomes: readonly ExploredEnd[];
  /** A schedule that ends at the smallest and the largest final measure. */
  readonly min: { readonly final: number; readonly schedule: readonly number[] };
  readonly max: { readonly final: number; readonly schedule: readonly number[] };
  /** never / sometimes / always: whether interleavings break the invariant. */
  readonly broken: 'never' | 'sometimes' | 'always';
  /**
   * For a test written as code or a litmus file: whether this model allows what the test asks about
   * (its condition's witness; an outcome declared interesting or forbidden; a broken invariant). Else null.
   */
  readonly verdict: 'allowed' | 'forbidden' | null;
  /** How many interleavings break it (a decimal string), and what breaking it means. */
  readonly brokenCount: string;
  readonly brokenMeans: string;
  /** How many interleavings end in a deadlock (a decimal string): "0" for a scenario that cannot deadlock. */
  readonly deadlocked: string;
  readonly statesVisited: number;
  /** Which model counted: "generic", or the scenario's own ("counter"). */
  readonly model: string;
  /** `sc`: interleavings of the steps; `tso`: with x86 store buffers, where a witness's −t is a flush of thread t's oldest store. */
  readonly memoryModel: string;
  /**
   * Per end, in the order of `outcomes`: the interleavings by their preemptions (`counts[p]`, decimal
   * strings: those with exactly p switches away from a thread that could have gone on), the fewest, and
   * a schedule with that many. Null under store buffers, and past 200,000 (state, last thread) pairs.
   */
  readonly preemptions: readonly { readonly final: number; readonly deadlock: boolean; readonly counts: readonly string[]; readonly fewest: number; readonly schedule: readonly number[] }[] | null;
  readonly elapsedMs: number;
}

/** Counts every interleaving of the threads' steps exactly, grouped by the scenario's measure. */
export async function exploreInterleavings(options: ExploreOptions = {}): Promise<ExploreReport> {
  const { scenario, scenarioRef, size, mode } = await loadTarget(options, 2);
  const memoryModel = memoryModelNamed(options.memoryModel ?? 'sc');
  if (!memoryModel) throw new UsageError(`{memoryModel} '${String(options.memoryModel)}' is invalid: expected ${MEMORY_MODEL_NAMES.join(' or ')}`);
  const platform = await currentPlatform();
  const ownRunsHere = scenario.hooks?.modelRunsOn?.includes(platform.kind) ?? true;
  // A scenario's own model counts interleavings: sequential consistency only.
  const own = options.ownModel === false || memoryModel.name !== 'sc' || !ownRunsHere ? undefined : await scenario.hooks?.model?.();
  const fast = own?.handles(mode, size) ? own : null;
  const budget = await memoryBudget();
  const maxStates = statesAllowed(scenario, mode, size, fast, options.maxStates, budget, memoryModel);
  const shortest = shortestScheduleLength(scenario, mode, size, Math.max(maxStates, MAX_REPLAY_STEPS) + 1);
  if (shortest + 1 > maxStates) {
    throw new UsageError(
      `explore of ${scenario.name} ${mode} at {threads} ${size.threads} × {iters} ${formatInt(size.iters)} needs more than ${formatInt(maxStates)} states ` +
        `(every interleaving takes at least ${plural(shortest, 'step')}): lower {threads} or {iters}${options.maxStates === undefined ? ', or raise {maxStates}' : ''}`,
    );
  }
  if (options.forReplay && shortest > MAX_REPLAY_STEPS) {
    throw new UsageError(`replay shows at most ${formatInt(MAX_REPLAY_STEPS)} steps, and every interleaving here takes at least ${formatInt(shortest)}: lower {threads} or {iters}`);
  }

  const started = performance.now();
  let result;
  try {
    result = await runModel(
      { scenario: scenarioRef, mode, size, maxStates, maxBytes: budget, fast: fast !== null, memoryModel: memoryModel.name, preemptionPairs: memoryModel.name === 'sc' ? PREEMPTION_PAIRS : 0 },
      options.signal,
    );
  } catch (error) {
    if (error instanceof StateLimitError) {
      throw new UsageError(
        `explore of ${scenario.name} ${mode} at {threads} ${size.threads} × {iters} ${formatInt(size.iters)} needs ${error.message}: lower {threads} or {iters}` +
          (error.limit === 'states' ? ', or raise {maxStates}' : ''),
      );
    }
    throw error;
  }
  const { exploration, model, preemptions } = result;
  const ends = exploredEnds(scenario, size, exploration);
  const interleavings = exploration.outcomes.reduce((sum, o) => sum + o.count, 0n);
  const brokenCount = exploration.outcomes.filter((_, i) => ends[i]!.broken).reduce((sum, o) => sum + o.count, 0n);
  const deadlocked = exploration.outcomes.filter((o) => o.stuck).reduce((sum, o) => sum + o.count, 0n);
  return {
    schemaVersion: 2,
    command: 'explore',
    scenario: scenario.name,
    mode,
    threads: size.threads,
    iters: size.iters,
    measure: scenario.measure,
    interleavings: interleavings.toString(),
    outcomes: ends,
    min: exploration.min,
    max: exploration.max,
    broken: brokenCount === 0n ? 'never' : brokenCount === interleavings ? 'always' : 'sometimes',
    verdict: scenario.ends ? (ends.some((end) => end.asked) ? 'allowed' : 'forbidden') : null,
    brokenCount: brokenCount.toString(),
    brokenMeans: scenario.broken,
    deadlocked: deadlocked.toString(),
    statesVisited: exploration.statesVisited,
    model,
    memoryModel: memoryModel.name,
    preemptions: preemptions?.ends.map((end) => ({ final: end.final, deadlock: end.stuck, counts: end.counts.map(String), fewest: end.fewest, schedule: end.schedule })) ?? null,
    elapsedMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
}

/**
 * The most states the model may visit: what was asked (default 2,000,000), but never more than the
 * memory budget holds at this size; refused up front when what was asked cannot fit.
 */
function statesAllowed(scenario: Scenario, mode: string, size: Size, fast: FastModel | null, asked: number | undefined, budget: number, memoryModel: MemoryModel): number {
  if (asked !== undefined && (!Number.isInteger(asked) || asked < 1 || asked > MAX_MAX_STATES)) {
    throw new UsageError(`{maxStates} ${asked} is invalid: expected an integer from 1 to ${formatInt(MAX_MAX_STATES)}`);
  }
  const perState = fast ? fast.bytesPerState(mode, size) : bytesPerState(scenario, mode, size, memoryModel);
  const fixed = fast ? fast.fixedBytes(mode, size) : 0;
  const fit = Math.floor((budget - fixed) / perState);
  if (fit < 1) throw new UsageError(`explore of ${scenario.name} ${mode} at {threads} ${size.threads} × {iters} ${formatInt(size.iters)} needs more than ${mib(budget)} of memory before its first state: lower {iters}`);
  if (asked === undefined) return Math.min(DEFAULT_MAX_STATES, fit);
  if (asked > fit) {
    throw new UsageError(
      `{maxStates} ${formatInt(asked)} could take up to ${mib(fixed + asked * perState)} at this size (about ${formatInt(perState)} bytes a state), ` +
        `more than the ${mib(budget)} explore may use here (a quarter of this machine's memory, at most 1.5 GiB): at most ${formatInt(fit)} states fit`,
    );
  }
  return asked;
}

/** The model's ends as the report gives them: with their values, judged, where the scenario's ends are values. */
function exploredEnds(scenario: Scenario, size: Size, exploration: Exploration): ExploredEnd[] {
  return exploration.outcomes.map((o, i) => {
    const [final, count, deadlock] = [o.final, o.count.toString(), o.stuck ?? false];
    const witness = exploration.witnesses?.[i];
    if (!scenario.ends || !o.values) return { final, count, broken: scenario.breaks(o.final, size), deadlock };
    const judged = scenario.ends.judge(o.values, size);
    return { final, count, broken: judged.broken, deadlock, values: o.values, expect: judged.expect, description: judged.description, asked: judged.asked, ...(witness ? { witness } : {}) };
  });
}
