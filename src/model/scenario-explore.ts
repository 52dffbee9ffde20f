import { UsageError } from '../errors.js';
import type { Mode } from '../modes.js';
import { formatInt } from '../text.js';
import { newState, PlainCells, type ProgramState, type Scenario, type Size } from '../scenario/scenario.js';
import { StateLimitError, type Outcome } from './explore.js';

/**
 * The exact model for any scenario: every interleaving of the threads' steps, counted and grouped by
 * the scenario's measure, by a depth-first walk that computes each state's futures once (a state's
 * future does not depend on how it was reached). It runs the scenario's own `step` on plain cells.
 * Simpler than the counter's model (no symmetry, no relative states): meant for the small sizes a
 * scenario is taught with.
 */

export interface ScenarioExploration {
  readonly interleavings: bigint;
  readonly outcomes: readonly Outcome[];
  readonly statesVisited: number;
  readonly min: { readonly final: number; readonly schedule: readonly number[] };
  readonly max: { readonly final: number; readonly schedule: readonly number[] };
}

interface Node {
  readonly cells: Int32Array;
  readonly states: readonly ProgramState[];
}

export function exploreScenario(scenario: Scenario, mode: Mode, size: Size, maxStates: number): ScenarioExploration {
  const stateCells = scenario.stateCells(size);
  const memo = new Map<string, Map<number, bigint>>();
  const keyOf = ({ cells, states }: Node) =>
    `${cells.subarray(0, stateCells).join(',')}|${states.map((s) => `${s.pc},${s.register},${s.done}`).join(';')}`;

  /** The node each thread's next step leads to; null for a thread that is done or blocked. */
  const children = (node: Node): (Node | null)[] =>
    node.states.map((state, i) => {
      if (scenario.isDone(mode, state, size)) return null;
      const cells = new PlainCells(node.cells.slice(), scenario.lockCell);
      cells.owner = cells.values[scenario.lockCell + 1]!;
      const states = node.states.map((s) => ({ ...s }));
      if (scenario.step(mode, i + 1, states[i]!, cells, size).action === 'blocked') return null;
      return { cells: cells.values, states };
    });

  const futures = (node: Node): Map<number, bigint> => {
    const key = keyOf(node);
    const known = memo.get(key);
    if (known) return known;
    const result = new Map<number, bigint>();
    let moved = false;
    for (const child of children(node)) {
      if (!child) continue;
      moved = true;
      for (const [final, count] of futures(child)) result.set(final, (result.get(final) ?? 0n) + count);
    }
    if (!moved) result.set(scenario.measureOf(node.cells, size), 1n);
    memo.set(key, result);
    if (memo.size > maxStates) throw new StateLimitError(maxStates);
    return result;
  };

  const cells = new Int32Array(scenario.cellCount(size));
  scenario.init(cells, size);
  const root: Node = { cells, states: Array.from({ length: size.threads }, newState) };
  const all = futures(root);
  const outcomes = [...all].sort((a, b) => a[0] - b[0]).map(([final, count]) => ({ final, count }));

  /** A schedule that ends at `final`: at each step, the first thread whose step can still get there. */
  const witness = (final: number): number[] => {
    const schedule: number[] = [];
    let node = root;
    for (;;) {
      const next = children(node).findIndex((child) => child !== null && futures(child).has(final));
      if (next < 0) return schedule;
      schedule.push(next + 1);
      node = children(node)[next]!;
    }
  };
  const min = outcomes[0]!.final;
  const max = outcomes[outcomes.length - 1]!.final;
  return {
    interleavings: outcomes.reduce((sum, o) => sum + o.count, 0n),
    outcomes,
    statesVisited: memo.size,
    min: { final: min, schedule: witness(min) },
    max: { final: max, schedule: witness(max) },
  };
}

/** `explore --scenario list|withdraw`: what `--json` prints. Counts are decimal strings. */
export interface ScenarioExploreReport {
  readonly schemaVersion: 1;
  readonly command: 'explore';
  readonly scenario: string;
  readonly mode: Mode;
  readonly threads: number;
  readonly iters: number;
  /** What `final` counts: "items in the list", "paid out". */
  readonly measure: string;
  readonly interleavings: string;
  /** Per final measure: how many interleavings end there, and whether that end breaks the invariant. */
  readonly outcomes: readonly { readonly final: number; readonly count: string; readonly broken: boolean }[];
  readonly min: { readonly final: number; readonly schedule: readonly number[] };
  readonly max: { readonly final: number; readonly schedule: readonly number[] };
  /** never / sometimes / always: whether interleavings break the scenario's invariant. */
  readonly broken: 'never' | 'sometimes' | 'always';
  /** How many interleavings break it (a decimal string), and what breaking it means. */
  readonly brokenCount: string;
  readonly brokenMeans: string;
  readonly statesVisited: number;
  readonly elapsedMs: number;
}

export function exploreScenarioReport(scenario: Scenario, mode: Mode, size: Size, maxStates: number): ScenarioExploreReport {
  const started = performance.now();
  let result: ScenarioExploration;
  try {
    result = exploreScenario(scenario, mode, size, maxStates);
  } catch (error) {
    if (error instanceof StateLimitError) {
      throw new UsageError(
        `explore --scenario ${scenario.name} --threads ${size.threads} --iters ${size.iters} (${mode}) needs ${error.message}, ` +
          `over --max-states ${formatInt(maxStates)}: lower --threads or --iters, or raise --max-states`,
      );
    }
    throw error;
  }
  const brokenCount = result.outcomes.filter((o) => scenario.breaks(o.final, size)).reduce((sum, o) => sum + o.count, 0n);
  return {
    schemaVersion: 1,
    command: 'explore',
    scenario: scenario.name,
    mode,
    threads: size.threads,
    iters: size.iters,
    measure: scenario.measure,
    interleavings: result.interleavings.toString(),
    outcomes: result.outcomes.map((o) => ({ final: o.final, count: o.count.toString(), broken: scenario.breaks(o.final, size) })),
    min: result.min,
    max: result.max,
    broken: brokenCount === 0n ? 'never' : brokenCount === result.interleavings ? 'always' : 'sometimes',
    brokenCount: brokenCount.toString(),
    brokenMeans: scenario.broken,
    statesVisited: result.statesVisited,
    elapsedMs: Math.round((performance.now() - started) * 1000) / 1000,
  };
}
