import { wilsonInterval } from '../../core/statistics.js';
import type { EndJudgement, EndValues, ModelVerdict, ModeSpec, Outcome, OutcomeTable, Scenario, SeenEnd, Size } from '../../core/scenario.js';
import { formatInt, plural } from '../../core/text.js';
import { InconsistentModelError } from '../../errors.js';
import { freeLoop } from './free-loop.js';
import { TestLayout } from './layout.js';
import { inRounds, type PlainTest, type TestMode } from './test.js';
import { sameValues, valuesText } from '../../core/end-values.js';

/**
 * A plain test (or a litmus file) as a scenario: its cells laid out by TestLayout, its threads' program
 * for the model and replay, its own loop for free-running threads, and its ends as values (registers
 * and variables) judged by its declared outcomes or its invariant.
 */

/** The most rounds a run takes: each has cells of its own. */
const MOST_CELLS = 64_000_000;

export function testScenario(test: PlainTest): Scenario {
  const rounds = inRounds(test);
  const ends = new EndKeys(test);
  const modes: ModeSpec[] = test.modes.map((mode) => ({
    name: mode.name,
    racy: mode.racy,
    // The widened gap: a sleep after each plain read, where a write computed from it may be overtaken. It
    // opens no gap a test of memory order (in rounds) turns on: a store waiting in a buffer is not a sleep.
    gapAfter: mode.racy && !rounds ? test.variables.map((variable) => `read ${variable.name}`) : [],
    // A round is every thread's at once: they meet before each.
    meets: rounds,
    explanation: mode.explanation,
    code: test.source,
    ...(mode.lines ? { codeLines: mode.lines } : {}),
  }));
  const modeOf = (name: string): TestMode => test.modes.find((mode) => mode.name === name)!;
  const judge = (values: EndValues, size: Size): EndJudgement => judgeEnd(test, values, size);
  const layouts = new Map<string, TestLayout>();
  const layout = (size: Size): TestLayout => {
    const key = `${size.threads}×${size.iters}`;
    let found = layouts.get(key);
    if (!found) layouts.set(key, (found = new TestLayout(test, size)));
    return found;
  };
  return {
    name: test.name,
    summary: test.summary,
    operation: rounds ? 'round' : 'call',
    measure: rounds ? 'rounds in an outcome the test forbids' : measureOfInvariant(test),
    modes,
    watch: { label: test.variables[0]!.name, cell: new TestLayout(test, { threads: 1, iters: 1 }).variable(0, 0) },
    lockCell: TestLayout.LOCK_CELL,
    lockCount: () => TestLayout.lockCount(test),
    maxTotal: rounds ? Math.floor(MOST_CELLS / Math.max(1, TestLayout.cellsPerRound(test))) * (test.threads ?? 1) : 2 ** 31 - 1,
    defaults: { ...(test.threads !== null ? { threads: test.threads } : {}), iters: 100_000 },
    ...(rounds ? { stepIters: 1 } : {}),
    sizeProblem: ({ threads, iters }, use) => {
      if (test.threads !== null && threads !== test.threads) return `the test has ${plural(test.threads, 'thread')}: use --threads ${test.threads}`;
      if (rounds && use === 'steps' && iters !== 1) return 'a test with outcomes is stepped one round at a time: use --iters 1';
      return null;
    },
    storeBuffers: rounds,
    ...(rounds ? { modelsBeside: ['sc', 'tso'] } : {}),
    cellCount: (size) => layout(size).cellCount,
    // A register's and a variable's cells both decide an end: all of them are part of a state.
    stateCells: (size) => layout(size).cellCount,
    init: (cells, size) => layout(size).init(cells),
    program: (mode, size, options) => test.program(modeOf(mode), size, layout(size), options),
    measureOf: (cells, size) => ends.keyOf(layout(size).valuesOf(cells, 0)),
    ends: { names: test.observed, ...(questionOf(test) ? { question: questionOf(test)! } : {}), valuesOf: (measure) => ends.valuesOf(measure), judge },
    breaks: (measure, size) => {
      const values = ends.valuesOf(measure);
      return values ? judge(values, size).broken : false;
    },
    broken: rounds ? 'end in an outcome the test forbids' : 'break the invariant',
    describeStart: () => `Shared: ${test.variables.map((variable) => `${variable.name} = ${variable.start}`).join(', ')}.`,
    showCells: (cells, size) => {
      const at = layout(size);
      // In rounds, the round under way: the last one a thread has arrived at.
      const round = rounds ? Math.min(size.iters - 1, Math.max(0, Math.ceil(cells[TestLayout.ARRIVED]! / size.threads) - 1)) : 0;
      return test.variables.map((variable, v) => `${variable.name} ${formatInt(cells[at.variable(v, round)]!)}`).join(', ');
    },
    playGoal: (size) => ({
      text: rounds ? 'reach an end the test forbids or finds interesting' : "make the threads break the test's invariant",
      reached: (cells) => {
        const verdict = judge(layout(size).valuesOf(cells, 0), size);
        return verdict.broken || verdict.expect === 'interesting';
      },
    }),
    progressOf: (cells, size) => (rounds ? `${formatInt(Math.floor(cells[TestLayout.ARRIVED]! / size.threads))} of ${plural(size.iters, 'round')} begun so far` : 'the threads running'),
    outcome: (_mode, cells, size) => (rounds ? roundsOutcome(test, layout(size), cells, size) : invariantOutcome(test, layout(size), cells, size)),
    table: (result) => endsTable(test, result),
    // No cell names a thread but a lock's holder, which the model renames itself.
    ...(test.symmetric ? { renameThreads: () => undefined } : {}),
    hooks: {
      loop: (mode, { widen, size }) => freeLoop(test, modeOf(mode), size, widen),
    },
  };
}

/** What expected and actual count where the test holds an invariant: its first expected value, or whether it held. */
function measureOfInvariant(test: PlainTest): string {
  const expected = test.judge.kind === 'invariant' ? test.judge.expected?.({ threads: 2, iters: 1 }) : undefined;
  const first = expected ? Object.keys(expected)[0] : undefined;
  return first !== undefined ? `${first} at the end` : 'the invariant (1: it held)';
}

/** What the test asks the models, in words: a litmus condition, or the outcomes it declares interesting or forbidden. */
function questionOf(test: PlainTest): string | null {
  if (test.question) return test.question.text;
  if (test.judge.kind !== 'outcomes') return null;
  const asked = test.judge.outcomes.filter((outcome) => outcome.expect !== 'allowed' && outcome.condition !== 'any other');
  return asked.length > 0 ? asked.map((outcome) => `${outcome.condition} (${outcome.expect})`).join(' or ') : null;
}

/** What to make of an end: the first declared outcome it matches (one it matches none of is forbidden), or the invariant. */
function judgeEnd(test: PlainTest, values: EndValues, size: Size): EndJudgement {
  const { judge } = test;
  if (judge.kind === 'invariant') {
    const holds = judge.holds(values, size);
    return { broken: !holds, asked: !holds, expect: holds ? 'allowed' : 'forbidden', description: holds ? 'the invariant holds' : 'the invariant is broken' };
  }
  const outcome = judge.outcomes.find((candidate) => candidate.matches(values));
  const asked = test.question ? test.question.witness(values) : outcome?.expect !== 'allowed';
  if (!outcome) return { broken: true, asked, expect: 'forbidden', description: 'matches no outcome the test declares' };
  return { broken: outcome.expect === 'forbidden', asked, expect: outcome.expect, description: outcome.description };
}

/**
 * Ends as measures: a key of the observed values, the same in every process and under every model (so
 * the two models' counts line up), kept with its values where it was made.
 */
class EndKeys {
  private readonly known = new Map<number, EndValues>();

  constructor(private readonly test: PlainTest) {}

  keyOf(values: EndValues): number {
    let h = 0x811c9dc5 | 0;
    for (const name of this.test.observed) {
      h = Math.imul(h ^ (values[name]! | 0), 0x01000193);
      h ^= h >>> 15;
    }
    const key = Math.imul(h ^ (h >>> 16), 0x85ebca6b) & 0x7fffffff;
    const seen = this.known.get(key);
    if (!seen) {
      const kept: Record<string, number> = {};
      for (const name of this.test.observed) kept[name] = values[name]!;
      this.known.set(key, kept);
    } else if (this.test.observed.some((name) => seen[name] !== values[name])) {
      throw new InconsistentModelError(`two ends of ${this.test.file} share a key (${valuesText(this.test.observed, seen)}; ${valuesText(this.test.observed, values)})`);
    }
    return key;
  }

  valuesOf(key: number): EndValues | undefined {
    return this.known.get(key);
  }
}

/** Of an end's values, those it shows (Scenario.ends.names), in order: what the model's ends hold too. */
function observedOf(test: PlainTest, values: EndValues): EndValues {
  return Object.fromEntries(test.observed.map((name) => [name, values[name]!]));
}

/** The one end a run of an invariant leaves. */
function seenOnce(values: EndValues, verdict: EndJudgement): SeenEnd {
  return { values, rounds: 1, perMillion: 1_000_000, wilson95: { low: 0, high: 1 }, ...verdict };
}

/** Rounds tallied by their ends: every end seen, and how many rounds ended in one the test forbids. */
function roundsOutcome(test: PlainTest, layout: TestLayout, cells: Int32Array, size: Size): Outcome {
  const rounds = size.iters;
  const tally = new Map<string, { values: EndValues; count: number }>();
  for (let round = 0; round < rounds; round++) {
    const values = observedOf(test, layout.valuesOf(cells, round));
    const key = valuesText(test.observed, values);
    const entry = tally.get(key);
    if (entry) entry.count++;
    else tally.set(key, { values, count: 1 });
  }
  const seen: SeenEnd[] = [...tally.values()]
    .map(({ values, count }) => {
      const wilson = wilsonInterval(count, rounds);
      return { values, rounds: count, perMillion: Math.round((count * 1e6) / rounds), wilson95: { low: toBillionth(wilson.low), high: toBillionth(wilson.high) }, ...judgeEnd(test, values, size) };
    })
    .sort((a, b) => compareValues(test.observed, a.values, b.values));
  const forbidden = seen.filter((end) => end.broken);
  const forbiddenRounds = forbidden.reduce((sum, end) => sum + end.rounds, 0);
  const interesting = seen.filter((end) => end.expect === 'interesting');
  const describe = (end: SeenEnd) => `${valuesText(test.observed, end.values)} in ${plural(end.rounds, 'round')} (${formatInt(end.perMillion)} per million): ${end.description}`;
  const only = seen.length === 1 && rounds === 1 ? seen[0]! : null;
  const lines = only
    ? [`The round ended with ${valuesText(test.observed, only.values)}: ${only.expect}${only.description ? ` (${only.description})` : ''}.`]
    : forbiddenRounds > 0
      ? [`${plural(forbiddenRounds, 'round')} of ${formatInt(rounds)} ended in an outcome the test forbids: ${forbidden.map(describe).join('; ')}.`]
      : [`In ${plural(rounds, 'round')}, no outcome the test forbids.${interesting.length > 0 ? ` Interesting: ${interesting.map(describe).join('; ')}.` : ''}`];
  return { expected: 0, actual: forbiddenRounds, lost: null, ok: forbiddenRounds === 0, details: { rounds }, lines, ends: seen };
}

/** An invariant's end: the values the threads left, and whether it holds (with `expected`, the first value against it). */
function invariantOutcome(test: PlainTest, layout: TestLayout, cells: Int32Array, size: Size): Outcome {
  const values = observedOf(test, layout.valuesOf(cells, 0));
  const verdict = judgeEnd(test, values, size);
  const judge = test.judge;
  const expected = judge.kind === 'invariant' ? judge.expected?.(size) : undefined;
  const first = expected ? Object.keys(expected)[0] : undefined;
  const shown = valuesText(test.observed, values);
  const wanted = expected ? valuesText(Object.keys(expected), expected) : '';
  const lines = [
    expected
      ? verdict.broken
        ? `The threads ended with ${shown}, where the test expects ${wanted}: the invariant is broken.`
        : `The threads ended with ${shown}, as the test expects.`
      : `The threads ended with ${shown}: the invariant ${verdict.broken ? 'is broken' : 'holds'}.`,
  ];
  if (expected && first !== undefined) {
    const wanted = expected[first]!;
    const actual = values[first]!;
    return { expected: wanted, actual, lost: wanted - actual, ok: !verdict.broken, details: {}, lines, ends: [seenOnce(values, verdict)] };
  }
  return { expected: 1, actual: verdict.broken ? 0 : 1, lost: null, ok: !verdict.broken, details: {}, lines, ends: [seenOnce(values, verdict)] };
}

/** The ends a run saw, as a table: their values, rounds, rate and interval, what the test expects, and what each model allows. */
function endsTable(test: PlainTest, result: { readonly mode: string; readonly details: Readonly<Record<string, unknown>>; readonly models?: readonly ModelVerdict[] | null }): OutcomeTable | null {
  const seen = result.details.ends as SeenEnd[] | undefined;
  const models = result.models ?? undefined;
  if (!seen || !inRounds(test)) return null;
  const allows = (reachable: readonly EndValues[] | null, values: EndValues) =>
    reachable === null ? '?' : reachable.some((other) => sameValues(test.observed, other, values)) ? 'allowed' : 'never';
  const counted = models ?? [];
  // One entry for the end's values: where the table is too wide for the page, each row is a paragraph led by it.
  return {
    title: 'what each round ended with',
    heading: ['end', 'rounds', 'per million (95%)', 'expected', ...counted.map((m) => m.model)],
    align: ['left', 'right', 'right', 'left', ...counted.map(() => 'left' as const)],
    rows: seen.map((end) => {
      const verdicts = counted.map((m) => allows(m.reachable, end.values));
      return {
        entries: [
          valuesText(test.observed, end.values),
          formatInt(end.rounds),
          `${formatInt(end.perMillion)} (${formatPerMillion(end.wilson95.low)}–${formatPerMillion(end.wilson95.high)})`,
          end.expect,
          ...verdicts,
        ],
        bad: end.broken || verdicts.every((verdict) => verdict === 'never') && verdicts.length > 0,
      };
    }),
  };
}

function formatPerMillion(share: number): string {
  return formatInt(Math.round(share * 1e6));
}

/** Orders ends by their values, name by name. */
function compareValues(names: readonly string[], a: EndValues, b: EndValues): number {
  for (const name of names) if (a[name] !== b[name]) return a[name]! - b[name]!;
  return 0;
}

/**
 * To the billionth: finer than the per million a report shows, at both ends (rounded to 4 places a
 * rare end's interval was 0–0; to 4 figures, a sure one's 1,000,000–1,000,000).
 */
function toBillionth(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
