import type { ChalkInstance } from 'chalk';
import type { Scenario } from '../../core/scenario.js';
import type { ExploreReport } from '../../explore/explore.js';
import { DEFAULT_SCENARIO } from '../../scenarios/registry.js';
import { quote } from '../reproduce.js';
import { formatDuration, formatInt, formatTable, indent, plural, wrapText, type Entry } from './format.js';

const BAR_WIDTH = 30;

/** What --replay found: the real threads' end, against the model's. */
export interface Replayed {
  readonly final: number;
  readonly matches: boolean;
}

/** The human report of `race-demo explore`, for every scenario. Pure. */
/** `scenarioArg`: the scenario as the command was given it (a name, or a module's path), for the replay commands it prints. */
export function formatExploreReport(report: ExploreReport, scenario: Scenario, scenarioArg: string, replayed: Replayed | null, chalk: ChalkInstance, width: number): string {
  const total = BigInt(report.interleavings);
  const most = report.outcomes.reduce((m, o) => (BigInt(o.count) > m ? BigInt(o.count) : m), 0n);
  const heading = [report.measure, 'interleavings', 'share', ''].map((text): Entry => ({ text, paint: chalk.dim }));
  const rows = report.outcomes.map((o): Entry[] => {
    const count = BigInt(o.count);
    const paint = o.broken ? chalk.red : chalk.green;
    const length = Number((count * BigInt(BAR_WIDTH)) / (most === 0n ? 1n : most));
    return [
      { text: formatInt(o.final), paint },
      { text: formatInt(count) },
      { text: share(count, total) },
      { text: `${'█'.repeat(Math.max(1, length))}  ${o.deadlock ? 'deadlock' : o.broken ? 'broken' : 'holds'}`, paint },
    ];
  });
  const broken = BigInt(report.brokenCount);
  const verdict =
    report.broken === 'never'
      ? chalk.green(`invariant broken: never. None of the ${formatInt(total)} interleavings ${report.brokenMeans}.`)
      : chalk.red(`invariant broken: ${report.broken}. ${formatInt(broken)} of ${formatInt(total)} interleavings ${report.brokenMeans}.`);
  const deadlocked = BigInt(report.deadlocked);
  const deadlockLine = deadlocked > 0n && deadlocked !== broken ? [chalk.red(`${formatInt(deadlocked)} of ${formatInt(total)} interleavings end in a deadlock: threads left that can never move.`)] : [];
  const sections = [
    wrapText(
      chalk.bold(`race-demo explore ${report.scenario}: ${report.mode}, ${report.threads} threads × ${plural(report.iters, scenario.operation)}: every interleaving of their steps`),
      width,
    ),
    formatTable(['right', 'right', 'right', 'left'], [heading, ...rows]).map(indent),
    [
      `${formatInt(total)} interleavings in all (exact), from ${formatInt(report.statesVisited)} states in ${formatDuration(report.elapsedMs)}.`,
      verdict,
      ...deadlockLine,
      ...witnessLines(report, scenarioArg),
      ...(replayed ? [replayLine(report, replayed, chalk)] : []),
    ]
      .flatMap((line) => wrapText(line, width))
      .map(indent),
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function witnessLines(report: ExploreReport, scenarioArg: string): string[] {
  const scenario = scenarioArg === DEFAULT_SCENARIO ? '' : ` --scenario ${quote(scenarioArg)}`;
  const line = (which: string, w: { final: number; schedule: readonly number[] }) =>
    `${which} (${formatInt(w.final)}): race-demo replay${scenario} --mode ${report.mode} --threads ${report.threads} --iters ${report.iters} --schedule ${w.schedule.join(',')}`;
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
