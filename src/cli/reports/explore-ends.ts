import type { ChalkInstance } from 'chalk';
import { writeMoves, writeSchedule } from '../../core/count-text.js';
import type { EndValues, Scenario } from '../../core/scenario.js';
import { countAt, endsAcross, schedulesTo, type ValuedEnd } from '../../explore/ends-across.js';
import type { ExploreReport } from '../../explore/explore.js';
import { DEFAULT_SCENARIO } from '../../scenarios/registry.js';
import { quote } from '../reproduce.js';
import { formatCount, formatDuration, formatInt, formatTable, indent, plural, wrapText, type Align, type Entry } from './format.js';
import { valuesText } from '../../core/end-values.js';

/**
 * explore's report where an end is values (a test written as code, a litmus file): a row per end with
 * its values, how many executions each model counts there, and what the test expects of it; then each
 * model's verdict on what the test asks, and a schedule to each end, to replay where whole steps reach it.
 */

/** What is shown of the models: the reports in order (sc first where asked), and what each counts. */
interface Counted {
  readonly report: ExploreReport;
  /** "interleavings" under sc; "orders" (of steps and flushes) under a model with moves of its own. */
  readonly unit: string;
}

export function formatEndsReport(reports: readonly ExploreReport[], replayedLine: string | null, scenario: Scenario, scenarioArg: string, chalk: ChalkInstance, width: number): string[][] {
  const names = scenario.ends!.names;
  const models: Counted[] = reports.map((report) => ({ report, unit: report.memoryModel === 'sc' ? 'interleavings' : 'orders' }));
  const first = reports[0]!;
  const ends = endsAcross(reports, names);
  const heading = [...names, ...models.map((m) => `${m.report.memoryModel}: ${m.unit}`), 'expected'].map((text): Entry => ({ text, paint: chalk.dim }));
  const rows = ends.map((end): Entry[] => {
    const paint = end.broken ? chalk.red : end.asked ? chalk.yellow : chalk.green;
    return [
      ...names.map((name) => ({ text: formatInt(end.values[name]!), paint })),
      ...models.map((m) => ({ text: formatCount(countAt(m.report, end.values, names)) })),
      { text: end.expect ?? '', paint },
    ];
  });
  const align: Align[] = [...names.map(() => 'right' as const), ...models.map(() => 'right' as const), 'left'];
  const question = scenario.ends!.question;
  return [
    formatTable(align, [heading, ...rows], width).map(indent),
    [
      models.map((m) => `${m.report.memoryModel}: ${formatCount(BigInt(m.report.interleavings))} ${m.unit} in all, exact, from ${formatInt(m.report.statesVisited)} states in ${formatDuration(m.report.elapsedMs)}`).join('; ') + '.',
      ...(question ? [`The test asks whether an execution can end in ${question}.`] : []),
      ...models.map((m) => verdictLine(m, names, chalk)),
      ...forbiddenLines(models, chalk),
      ...(replayedLine ? [replayedLine] : []),
    ]
      .flatMap((line) => wrapText(line, width))
      .map(indent),
    witnessLines(reports, ends, names, first, scenarioArg, chalk)
      .flatMap((line) => wrapText(line, width))
      .map(indent),
  ];
}

/** Whether a model allows what the test asks: how many of its executions end there. */
function verdictLine(m: Counted, names: readonly string[], chalk: ChalkInstance): string {
  const { report, unit } = m;
  const asked = report.outcomes.filter((o) => o.asked);
  const count = asked.reduce((sum, o) => sum + BigInt(o.count), 0n);
  const what = report.memoryModel === 'sc' ? 'sc (every interleaving of the steps)' : `${report.memoryModel} (with store buffers)`;
  if (asked.length === 0) return chalk.green(`${what}: forbidden. None of the ${formatCount(BigInt(report.interleavings))} ${unit} end there.`);
  const where = asked.map((o) => o.values ? names.map((name) => `${name}=${o.values![name]}`).join(' ') : '').join('; ');
  return chalk.yellow(`${what}: allowed. ${formatCount(count)} of the ${formatCount(BigInt(report.interleavings))} ${unit} end there (${where}).`);
}

/** Where a model reaches an end the test forbids: how many executions do. */
function forbiddenLines(models: readonly Counted[], chalk: ChalkInstance): string[] {
  return models.flatMap(({ report, unit }) => {
    const broken = BigInt(report.brokenCount);
    if (broken === 0n) return [];
    return [chalk.red(`Under ${report.memoryModel}, ${formatCount(broken)} of the ${formatCount(BigInt(report.interleavings))} ${unit} ${report.brokenMeans}.`)];
  });
}

/** A schedule to each end: one a replay takes (whole steps) where sc reaches it, else one with flushes. */
function witnessLines(reports: readonly ExploreReport[], ends: readonly ValuedEnd[], names: readonly string[], first: ExploreReport, scenarioArg: string, chalk: ChalkInstance): string[] {
  const scenario = scenarioArg === DEFAULT_SCENARIO ? '' : ` --scenario ${quote(scenarioArg)}`;
  const lines = ends.flatMap((end) => {
    const label = valuesText(names, end.values);
    const { steps, flushes } = schedulesTo(reports, end.values, names);
    if (steps) return [`${label}: race-demo replay${scenario} --mode ${first.mode} --threads ${first.threads} --iters ${first.iters} --schedule ${writeSchedule(steps)}`];
    if (!flushes) return [];
    return [chalk.dim(`${label}: only with store buffers, as ${writeMoves(flushes)} (Fn: thread n's oldest buffered store reaches memory; a replay takes whole steps, so run shows it on this CPU)`)];
  });
  return lines.length > 0 ? ['A schedule to each end:', ...lines.map((line) => `  ${line}`)] : [];
}

/** A replay's end against the model's, by values. */
export function replayedEndLine(report: ExploreReport, values: EndValues | undefined, matches: boolean, names: readonly string[], chalk: ChalkInstance): string {
  const shown = values ? valuesText(names, values) : 'no end';
  return matches
    ? chalk.green(`replayed on ${plural(report.threads, 'real thread')}: ${shown}, as the model says.`)
    : chalk.red(`replayed on real threads: ${shown}, which is not where the model's schedule ends!`);
}
