import type { ChalkInstance } from 'chalk';
import { modeOf, type Scenario } from '../../core/scenario.js';
import type { RunReport } from '../../run/run.js';
import { detailsOf, type ModeResult } from '../../run/trial.js';
import type { TrialsSummary } from '../../run/trials.js';
import { formatDeadlock, formatEvidence } from './evidence.js';
import { formatBar, formatDuration, formatInt, formatPercent, formatRate, formatTable, indent, listOf, plural, wrapText, type Entry } from './format.js';
import { formatThreadStats } from './thread-stats.js';
import { formatFinalsHistogram, formatTrialsTable } from './trials.js';

const BAR_WIDTH = 32;

export interface RunReportView {
  readonly stats: boolean;
  /** Everything: what the threads caught, why each mode ends as it does, the fallback in full. */
  readonly explain: boolean;
  /** The width indented text may take (the page's less the indent). */
  readonly width: number;
}

/**
 * The human report of `race-demo run`, for every scenario: by default the tables, the bars and a
 * paragraph of why; with `explain`, what the threads caught and why every mode ends as it does. Pure:
 * the colour level arrives with `chalk`, the width with `view`.
 */
export function formatRunReport(report: RunReport, scenario: Scenario, chalk: ChalkInstance, view: RunReportView): string {
  const { width } = view;
  const wrap = (paragraph: string) => wrapText(paragraph, width);
  const sections: string[][] = [
    wrapText(formatHeader(report, chalk), width + 2),
    wrap(chalk.dim([`${capitalise(scenario.summary)}; expected and actual are ${scenario.measure}.`, scenario.describeStart?.({ threads: report.threads, iters: report.iters }) ?? ''].join(' ').trim())).map(indent),
    report.trials ? formatTrialsTable(withPlainTrials(report), chalk, width).map(indent) : [],
    report.trials ? report.trials.modes.flatMap((s, i) => formatFinalsHistogram(s, report.results[i]!, chalk)).map(indent) : [],
    [...(report.trials ? [indent(chalk.dim('The trial that broke the invariant worst, per mode:'))] : []), ...formatResultsTable(report, chalk, width).map(indent)],
    formatBars(report.results, chalk).map(indent),
    separated(report.results.map((r) => formatScenarioTable(r, scenario, report, chalk, width))).map(indent),
    view.stats ? separated(report.results.map((r) => formatThreadStats(r, scenario, chalk, width))).map(indent) : [],
    formatWhy(report, scenario, chalk, view.explain).flatMap(wrap).map(indent),
    view.explain
      ? report.results
          .flatMap((r) => (r.deadlock ? formatDeadlock(r.deadlock, width, chalk) : r.evidence && !r.ok ? formatEvidence(r.evidence, report.threads, scenario, width, chalk) : []))
          .map(indent)
      : [],
    formatFallback(report, chalk, view.explain).flatMap(wrap).map(indent),
    view.explain ? formatExplanations(report, scenario, chalk).flatMap(wrap).map(indent) : [],
    formatCpuWarning(report.cpus, chalk).flatMap(wrap).map(indent),
    formatVerdict(report, chalk).flatMap(wrap).map(indent),
    view.explain ? [] : wrap(chalk.dim('--explain: what the threads caught in the act, and why each mode ends as it does.')).map(indent),
  ];
  return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/**
 * One paragraph of why: each mode that broke the invariant, in the scenario's words and with its
 * mode's explanation; then in one sentence the modes that kept it. With `explain`, the scenario's
 * further sentences too.
 */
function formatWhy(report: RunReport, scenario: Scenario, chalk: ChalkInstance, explain: boolean): string[] {
  // Where ends are values, each mode's own sentences say what its rounds left: forbidden, interesting, or neither.
  if (scenario.ends) {
    return report.results.map((r) => `${chalk.bold(`${r.mode}:`)} ${(r.ok ? chalk.green : chalk.red)(r.summary.join(' '))}`);
  }
  const broken = report.results.filter((r) => !r.ok);
  const kept = report.results.filter((r) => r.ok);
  const lines = broken.map((r) => {
    const [first = '', ...rest] = r.summary;
    const more = explain ? rest : rest.filter((line) => line.startsWith('Deadlock:'));
    const why = explain ? '' : ` Why: ${modeOf(scenario, r.mode)!.explanation}`;
    return `${chalk.bold(`${r.mode}:`)} ${chalk.red(first)}${more.length > 0 ? ` ${more.join(' ')}` : ''}${why}`;
  });
  const fixes = kept.filter((r) => !modeOf(scenario, r.mode)!.racy).map((r) => r.mode);
  const races = kept.filter((r) => modeOf(scenario, r.mode)!.racy).map((r) => r.mode);
  if (fixes.length > 0) lines.push(chalk.green(`${listOf(fixes)} ${fixes.length === 1 ? '' : fixes.length === 2 ? 'both ' : 'all '}kept the invariant.`));
  if (races.length > 0 && report.threads === 1) {
    lines.push(chalk.yellow(`${listOf(races)} kept it: with one thread nothing can race; a race needs two threads or more (--threads 2).`));
  } else if (races.length > 0) {
    lines.push(chalk.yellow(`${listOf(races)} kept it this time, but the race is still there: it shows with more --iters or --threads, or with --trials.`));
  }
  return lines;
}

/** Blocks of lines with an empty line between each two that have any. */
function separated(blocks: readonly string[][]): string[] {
  return blocks.filter((block) => block.length > 0).flatMap((block, i) => (i > 0 ? ['', ...block] : block));
}

function formatHeader(report: RunReport, chalk: ChalkInstance): string {
  const start = report.barrier ? 'released together' : 'no start barrier';
  const trials = report.trials ? `, ${plural(report.trials.requested, 'trial')} per mode${report.trials.untilRace ? ' at most' : ''}` : '';
  return chalk.bold(
    `race-demo run ${report.scenario}: ${plural(report.threads, 'thread')} × ${plural(report.iters, report.operation)}, ${start}${trials}, ` +
      `${report.cpus} CPU${report.cpus === 1 ? '' : 's'}, Node ${report.node}`,
  );
}

function formatResultsTable(report: RunReport, chalk: ChalkInstance, width: number): string[] {
  const withLost = report.results.some((r) => r.lost !== null);
  const heading = ['mode', 'expected', 'actual', ...(withLost ? ['lost', 'lost %'] : []), 'invariant', 'time', `${report.operation}s/s`].map(
    (text): Entry => ({ text, paint: chalk.dim }),
  );
  const plainOf = new Map(report.fallback.map((f) => [f.mode, f.plain]));
  const rows = report.results.flatMap((widened) => [plainOf.get(widened.mode), widened]).flatMap((r): Entry[][] => {
    if (!r) return [];
    const paint = r.ok ? chalk.green : chalk.red;
    return [[
      { text: label(r), paint: chalk.bold },
      { text: formatInt(r.expected) },
      { text: formatInt(r.actual), paint },
      ...(withLost ? [{ text: r.lost === null ? '—' : formatInt(r.lost), paint }, { text: r.lostRatio === null ? '—' : formatPercent(r.lostRatio), paint }] : []),
      { text: r.ok ? 'held' : 'broken', paint },
      { text: formatDuration(r.elapsedMs) },
      { text: formatRate(r.opsPerSec) },
    ]];
  });
  const align = heading.map((_, i) => (i === 0 || i === heading.length - 3 ? ('left' as const) : ('right' as const)));
  return formatTable(align, [heading, ...rows], width);
}

/** Every mode's trials, with the plain trials of a mode that ran again widened just before its widened ones. */
function withPlainTrials(report: RunReport): TrialsSummary[] {
  const plainOf = new Map(report.fallback.map((f) => [f.mode, f.plainSummary]));
  return (report.trials?.modes ?? []).flatMap((summary) => [plainOf.get(summary.mode), summary].filter((s) => s !== undefined));
}

/** "unsafe", "unsafe (gap widened)": how many operations a widened rerun took is in the line under the table. */
function label(result: ModeResult): string {
  return result.widened ? `${result.mode} (gap widened)` : result.mode;
}

/** A bar per mode, of actual against expected; where nothing is expected (reorder counts rounds gone wrong), none. */
function formatBars(all: readonly ModeResult[], chalk: ChalkInstance): string[] {
  const results = all.filter((r) => r.expected > 0);
  if (results.length === 0) return [];
  const width = Math.max(...results.map((r) => r.mode.length));
  return results.map((r) => {
    const ratio = r.actual / r.expected;
    const { filled, empty } = formatBar(ratio, BAR_WIDTH);
    const paint = r.ok ? chalk.green : chalk.red;
    return `${r.mode.padEnd(width)}  ${paint(filled)}${chalk.dim(empty)}  ${formatPercent(ratio).padStart(6)} of expected`;
  });
}

/** The scenario's own table of a mode's result (reorder: what each thread read), where it has one. */
function formatScenarioTable(result: ModeResult, scenario: Scenario, report: RunReport, chalk: ChalkInstance, width: number): string[] {
  const table = scenario.table?.({ mode: result.mode, details: detailsOf(result), models: result.models ?? null }, { threads: report.threads, iters: result.iters });
  if (!table) return [];
  const heading = table.heading.map((text): Entry => ({ text, paint: chalk.dim }));
  const rows = table.rows.map((row) => row.entries.map((text): Entry => (row.bad ? { text, paint: chalk.red } : { text })));
  return [...wrapText(chalk.bold(`${result.mode}: ${table.title}`), width), ...formatTable(table.align ?? table.heading.map(() => 'left' as const), [heading, ...rows], width)];
}

function formatFallback(report: RunReport, chalk: ChalkInstance, explain: boolean): string[] {
  return report.fallback.map(({ mode, plainSummary }) => {
    const widened = report.results.find((r) => r.mode === mode)!;
    const size = widened.iters < report.iters ? `, ${plural(widened.iters, report.operation)} per thread` : '';
    if (!explain) return chalk.yellow(`The plain ${mode} race did not show in ${plural(plainSummary.run, 'trial')}, so ${mode} ran again with the gap widened${size}: the table shows both.`);
    return chalk.yellow(
      `The plain ${mode} race did not show in ${plural(plainSummary.run, 'trial')}, so ${mode} ran again with the gap between each ` +
        `read and the write computed from it widened by a short sleep${size} (--widen auto; --widen never turns this off). ` +
        'The table shows both runs; both are real.',
    );
  });
}

function formatExplanations(report: RunReport, scenario: Scenario, chalk: ChalkInstance): string[] {
  return report.results.map((r) => {
    const mode = modeOf(scenario, r.mode)!;
    if (!mode.racy) return `${chalk.bold(r.mode)}: ${mode.explanation}`;
    if (!r.ok) return `${chalk.bold(r.mode)} broke the invariant: ${mode.explanation}`;
    if (report.threads === 1) return `${chalk.bold(r.mode)} kept the invariant: the race is between threads, and there was one. ${mode.explanation}`;
    return (
      `${chalk.bold(r.mode)} kept the invariant this time, but the race is still there: ${mode.explanation} ` +
      'It shows more often with more --iters or --threads, or with --widen always.'
    );
  });
}

function formatCpuWarning(cpus: number, chalk: ChalkInstance): string[] {
  if (cpus >= 2) return [];
  return [chalk.yellow(`Only ${cpus} CPU is available: the threads take turns instead of running at once, so the race will rarely show.`)];
}

function formatVerdict(report: RunReport, chalk: ChalkInstance): string[] {
  // A failed expectation is reported on stderr, once, by the command.
  if (report.expect === null || report.reason === null || !report.ok) return [];
  return [chalk.green(`--expect ${report.expect} held: ${report.reason}`)];
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
