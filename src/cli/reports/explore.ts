import type { ChalkInstance } from 'chalk';
import type { EndValues, Scenario } from '../../core/scenario.js';
import type { ExploreReport } from '../../explore/explore.js';
import { DEFAULT_SCENARIO } from '../../scenarios/registry.js';
import { quote } from '../reproduce.js';
import { EXACT_DIGITS, formatCount, formatDuration, formatInt, formatTable, indent, plural, wrapText, type Entry } from './format.js';
import { writeMoves, writeSchedule } from '../../core/count-text.js';
import { formatEndsReport, replayedEndLine } from './explore-ends.js';

/** What each model of memory counts, for the title. */
const WHAT_IS_COUNTED: Readonly<Record<string, string>> = {
  sc: 'every interleaving of their steps',
  tso: 'every order of steps and store-buffer flushes',
};

/** The longest bar, and the shortest the longest may be made to fit the line. */
const BAR_WIDTH = 30;
const MIN_BAR_WIDTH = 8;

/** What --replay found: the real threads' end, against the model's. */
export interface Replayed {
  readonly final: number;
  readonly matches: boolean;
  /** For a test written as code: the end's values on the real threads. */
  readonly values?: EndValues;
}

/** The human report of `race-demo explore`, for every scenario. Pure. */
/** What explore found: the interleavings, the same under x86 store buffers where counted, and what --replay saw. */
export interface ExploreView {
  readonly report: ExploreReport;
  readonly storeBuffers: ExploreReport | null;
  readonly replayed: Replayed | null;
}

/**
 * The human report of `race-demo explore`, for every scenario; with store buffers, the two models side
 * by side. `scenarioArg`: the scenario as the command was given it (a name, or a module's path), for the
 * replay commands it prints. Pure.
 */
export function formatExploreReport(view: ExploreView, scenario: Scenario, scenarioArg: string, chalk: ChalkInstance, width: number): string {
  const { report, storeBuffers, replayed } = view;
  const models = storeBuffers ? [report, storeBuffers] : [report];
  const header = [
    wrapText(chalk.bold(`race-demo explore ${report.scenario}: ${report.mode}, ${plural(report.threads, 'thread')} × ${plural(report.iters, scenario.operation)}: ${models.map((m) => WHAT_IS_COUNTED[m.memoryModel] ?? m.memoryModel).join(', and ')}`), width + 2),
    wrapText(chalk.dim(scenario.describeStart?.({ threads: report.threads, iters: report.iters }) ?? ''), width).map(indent),
  ];
  if (scenario.ends) {
    const replayedText = replayed ? replayedEndLine(report, replayed.values, replayed.matches, scenario.ends.names, chalk) : null;
    const sections = [...header, ...formatEndsReport(models, replayedText, scenario, scenarioArg, chalk, width)];
    return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
  }
  const ends = [...new Map(models.flatMap((m) => m.outcomes).map((o) => [`${o.final}${o.deadlock ? '!' : ''}`, o])).values()].sort(
    (a, b) => a.final - b.final || Number(a.deadlock) - Number(b.deadlock),
  );
  const countOf = (m: ExploreReport, end: ExploreReport['outcomes'][number]) => BigInt(m.outcomes.find((o) => o.final === end.final && o.deadlock === end.deadlock)?.count ?? '0');
  const most = ends.reduce((top, end) => (countOf(report, end) > top ? countOf(report, end) : top), 0n);
  const heading = [report.measure, 'interleavings', 'share', ...(storeBuffers ? ['with store buffers', 'share'] : []), ''].map((text): Entry => ({ text, paint: chalk.dim }));
  const labelOf = (end: ExploreReport['outcomes'][number]) => (end.deadlock ? 'deadlock' : end.broken ? 'broken' : 'holds');
  const columns = ends.map((end): Entry[] => {
    const paint = end.broken ? chalk.red : chalk.green;
    const shareOf = (m: ExploreReport) => share(countOf(m, end), BigInt(m.interleavings));
    return [
      { text: formatInt(end.final), paint },
      { text: formatCount(countOf(report, end)) },
      { text: shareOf(report) },
      ...(storeBuffers ? [{ text: formatCount(countOf(storeBuffers, end)) }, { text: shareOf(storeBuffers) }] : []),
    ];
  });
  // The bars take what the line leaves after the other columns (two spaces apart, indented by two) and
  // the longest label: a long bar must not push its label onto a line of its own.
  const before = heading.slice(0, -1).reduce((sum, cell, column) => sum + Math.max(cell.text.length, ...columns.map((row) => row[column]!.text.length)) + 2, 2);
  const barWidth = Math.max(MIN_BAR_WIDTH, Math.min(BAR_WIDTH, width - before - 2 - Math.max(...ends.map((end) => labelOf(end).length))));
  const rows = ends.map((end, i): Entry[] => {
    const paint = end.broken ? chalk.red : chalk.green;
    const length = Number((countOf(report, end) * BigInt(barWidth)) / (most === 0n ? 1n : most));
    return [...columns[i]!, { text: storeBuffers ? labelOf(end) : `${'█'.repeat(Math.max(1, length))}  ${labelOf(end)}`, paint }];
  });
  const sections = [
    ...header,
    formatTable(['right', 'right', 'right', ...(storeBuffers ? (['right', 'right'] as const) : []), 'left'], [heading, ...rows], width).map(indent),
    [
      `${formatCount(BigInt(report.interleavings))} interleavings in all (${exactness(report)}), from ${formatInt(report.statesVisited)} states in ${formatDuration(report.elapsedMs)}.`,
      ...verdictLines(report, 'interleavings', chalk),
      ...enoughLines(report, scenarioArg, chalk),
      ...witnessLines(report, scenarioArg),
      ...(replayed ? [replayLine(report, replayed, chalk)] : []),
    ]
      .flatMap((line) => wrapText(line, width))
      .map(indent),
    formatPreemptions(report, chalk, width).map(indent),
    ...(storeBuffers ? [storeBufferLines(storeBuffers, chalk).flatMap((line) => wrapText(line, width)).map(indent)] : []),
  ];
  return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** "exact", or where the total is shown to three digits, where to read it whole. */
function exactness(report: ExploreReport): string {
  return report.interleavings.length > EXACT_DIGITS ? 'counted exactly; --json has every digit' : 'exact';
}

/** "904 of 924"; where three digits cannot tell the two apart, "All but 1.72 × 10^38 of the 3.58 × 10^80". */
function brokenOf(broken: bigint, total: bigint): string {
  const some = formatCount(broken);
  return some === formatCount(total) && broken !== total ? `All but ${formatCount(total - broken)} of the ${formatCount(total)}` : `${some} of ${formatCount(total)}`;
}

/** The verdict in one line, and how many end in a deadlock where that is not the same thing. */
function verdictLines(report: ExploreReport, what: string, chalk: ChalkInstance): string[] {
  const total = BigInt(report.interleavings);
  const broken = BigInt(report.brokenCount);
  const deadlocked = BigInt(report.deadlocked);
  const verdict =
    report.broken === 'never'
      ? chalk.green(`invariant broken: never. None of the ${formatCount(total)} ${what} ${report.brokenMeans}.`)
      : chalk.red(`invariant broken: ${report.broken}. ${brokenOf(broken, total)} ${what} ${report.brokenMeans}.`);
  const deadlock = deadlocked > 0n && deadlocked !== broken ? [chalk.red(`${formatCount(deadlocked)} of ${formatCount(total)} ${what} end in a deadlock: threads left that can never move.`)] : [];
  return [verdict, ...deadlock];
}

/** The same under x86-TSO: the counts, the verdict, and a witness, which replay cannot take (a flush is not a step of a thread). */
function storeBufferLines(report: ExploreReport, chalk: ChalkInstance): string[] {
  const witness = [report.min, report.max].find((w) => report.outcomes.some((o) => o.final === w.final && o.broken)) ?? report.min;
  const steps = writeMoves(witness.schedule);
  return [
    `With store buffers (x86-TSO: each thread's plain stores wait in a buffer of its own, first in first out, and a flush of ` +
      `the oldest to memory is a step of its own): ${formatCount(BigInt(report.interleavings))} orders of steps and flushes in all (${exactness(report)}), ` +
      `from ${formatInt(report.statesVisited)} states in ${formatDuration(report.elapsedMs)}.`,
    ...verdictLines(report, 'orders', chalk),
    `One that ends at ${formatInt(witness.final)}: ${steps} (Fn: thread n's oldest buffered store reaches memory). ` +
      'A replay takes whole steps, each in memory before the next, so it cannot take this order; run shows what this CPU does.',
  ];
}

/** Preemptions past which the table adds them up in one column. */
const PREEMPTION_COLUMNS = 6;

/** The interleavings of each end by their preemptions, a column per number. */
function formatPreemptions(report: ExploreReport, chalk: ChalkInstance, width: number): string[] {
  if (!report.preemptions) return [];
  const most = Math.max(...report.preemptions.map((end) => end.counts.length - 1));
  const columns = Math.min(most, PREEMPTION_COLUMNS);
  const label = (p: number) => (p === PREEMPTION_COLUMNS && most > PREEMPTION_COLUMNS ? `${p}+` : String(p));
  const heading = [report.measure, ...Array.from({ length: columns + 1 }, (_, p) => label(p)), 'fewest'].map((text): Entry => ({ text, paint: chalk.dim }));
  const rows = report.preemptions.map((end): Entry[] => {
    const paint = report.outcomes.find((o) => o.final === end.final && o.deadlock === end.deadlock)?.broken ? chalk.red : chalk.green;
    const cells = Array.from({ length: columns + 1 }, (_, p) => {
      const counts = p === PREEMPTION_COLUMNS ? end.counts.slice(p) : end.counts.slice(p, p + 1);
      return { text: formatCount(counts.reduce((sum, c) => sum + BigInt(c), 0n)) };
    });
    return [{ text: `${formatInt(end.final)}${end.deadlock ? ' (deadlock)' : ''}`, paint }, ...cells, { text: String(end.fewest), paint }];
  });
  return [
    ...wrapText(chalk.dim('Interleavings by preemptions, the switches away from a thread that could have gone on:'), width),
    ...formatTable(['right', ...Array.from({ length: columns + 2 }, () => 'right' as const)], [heading, ...rows], width),
  ];
}

/**
 * How few preemptions break the invariant, and how many of the interleavings with that many do: the
 * simplest story, with its schedule to replay (CHESS: most bugs need at most two).
 */
function enoughLines(report: ExploreReport, scenarioArg: string, chalk: ChalkInstance): string[] {
  if (!report.preemptions) return [];
  const broken = report.preemptions.filter((end) => report.outcomes.some((o) => o.final === end.final && o.deadlock === end.deadlock && o.broken));
  if (broken.length === 0) return [];
  const simplest = broken.reduce((a, b) => (b.fewest < a.fewest ? b : a));
  const k = simplest.fewest;
  const at = (ends: NonNullable<ExploreReport['preemptions']>) => ends.reduce((sum, end) => sum + BigInt(end.counts[k] ?? '0'), 0n);
  const many = k === 0 ? 'No preemption at all is needed' : `${k === 1 ? 'One preemption is' : `${k} preemptions are`} enough`;
  const scenario = scenarioArg === DEFAULT_SCENARIO ? '' : ` --scenario ${quote(scenarioArg)}`;
  return [
    chalk.red(`${many} to break the invariant: ${formatCount(at(broken))} of the ${formatCount(at(report.preemptions))} interleavings with exactly ${plural(k, 'preemption')} do.`),
    `The simplest (${formatInt(simplest.final)}${simplest.deadlock ? ', a deadlock' : ''}): race-demo replay${scenario} --mode ${report.mode} --threads ${report.threads} --iters ${report.iters} --schedule ${writeSchedule(simplest.schedule)}`,
  ];
}

/** The replay commands of the smallest and largest ends: with the fewest preemptions where they were counted. */
function witnessLines(report: ExploreReport, scenarioArg: string): string[] {
  const scenario = scenarioArg === DEFAULT_SCENARIO ? '' : ` --scenario ${quote(scenarioArg)}`;
  const line = (which: string, w: { final: number; schedule: readonly number[] }) => {
    const simplest = report.preemptions?.filter((end) => end.final === w.final).reduce((a, b) => (b.fewest < a.fewest ? b : a));
    const schedule = simplest?.schedule ?? w.schedule;
    const how = simplest ? `, ${plural(simplest.fewest, 'preemption')}` : '';
    return `${which} (${formatInt(w.final)}${how}): race-demo replay${scenario} --mode ${report.mode} --threads ${report.threads} --iters ${report.iters} --schedule ${writeSchedule(schedule)}`;
  };
  return [line('smallest', report.min), line('largest', report.max)];
}

function replayLine(report: ExploreReport, replayed: Replayed, chalk: ChalkInstance): string {
  const what = `${report.measure} ${formatInt(replayed.final)}`;
  return replayed.matches
    ? chalk.green(`replayed the smallest on ${report.threads} real threads: ${what}, as the model says.`)
    : chalk.red(`replayed the smallest on real threads: ${what}, but the model says ${formatInt(report.min.final)}!`);
}

function share(count: bigint, total: bigint): string {
  return `${(Number((count * 100_000n) / total) / 1000).toFixed(1)}%`;
}
