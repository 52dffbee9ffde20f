import type { ChalkInstance } from 'chalk';
import type { RunReport } from '../engine/run-race.js';
import type { ModeResult } from '../engine/trial.js';
import { MODE_EXPLANATIONS } from '../modes.js';
import { formatEvidence } from './evidence-report.js';
import { formatBar, formatDuration, formatInt, formatPercent, formatRate, formatTable, indent, plural, wrapText, type Cell } from './format.js';
import { formatThreadStats } from './thread-stats-report.js';
import { formatFinalsHistogram, formatTrialsTable } from './trials-report.js';

const BAR_WIDTH = 32;
const TEXT_WIDTH = 96;

/** The human report of `race-demo run`. Pure: the colour level arrives with `chalk`. */
export function formatRunReport(report: RunReport, chalk: ChalkInstance, show: { readonly stats: boolean } = { stats: false }): string {
  const unsafe = report.results.find((r) => r.mode === 'unsafe');
  const sections: string[][] = [
    [formatHeader(report, chalk)],
    report.trials ? formatTrialsTable(report.trials.modes, chalk).map(indent) : [],
    report.trials
      ? report.trials.modes.flatMap((s) => formatFinalsHistogram(s, report.threads * report.iters, chalk)).map(indent)
      : [],
    [...(report.trials ? [indent(chalk.dim(`The trial that lost the most, per mode:`))] : []), ...formatResultsTable(report.results, chalk).map(indent)],
    formatBars(report.results, chalk).map(indent),
    show.stats ? report.results.flatMap((r, i) => [...(i > 0 ? [''] : []), ...formatThreadStats(r, chalk)]).map(indent) : [],
    unsafe?.evidence && unsafe.lost > 0 ? formatEvidence(unsafe.evidence, TEXT_WIDTH, chalk).map(indent) : [],
    formatFallback(report, chalk).map(indent),
    formatExplanation(report.results, chalk).flatMap((paragraph) => wrapText(paragraph, TEXT_WIDTH)).map(indent),
    formatCpuWarning(report.cpus, chalk).map(indent),
    formatVerdict(report, chalk).map(indent),
  ];
  return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function formatHeader(report: RunReport, chalk: ChalkInstance): string {
  const start = report.barrier ? 'released together by a start barrier' : 'no start barrier';
  const trials = report.trials ? `, ${plural(report.trials.requested, 'trial')} per mode${report.trials.untilRace ? ' at most, until one races' : ''}` : '';
  return chalk.bold(
    `race-demo run: ${report.threads} threads × ${formatInt(report.iters)} increments, ${start}${trials}, ` +
      `${report.cpus} CPU${report.cpus === 1 ? '' : 's'}, Node ${report.node}`,
  );
}

function formatResultsTable(results: readonly ModeResult[], chalk: ChalkInstance): string[] {
  const heading = ['mode', 'expected', 'actual', 'lost', 'lost %', 'time', 'increments/s'].map(
    (text): Cell => ({ text, paint: chalk.dim }),
  );
  const rows = results.map((r): Cell[] => {
    const paint = r.lost === 0 ? chalk.green : chalk.red;
    return [
      { text: r.mode + (r.widened ? ' (gap widened)' : ''), paint: chalk.bold },
      { text: formatInt(r.expected) },
      { text: formatInt(r.actual), paint },
      { text: formatInt(r.lost), paint },
      { text: formatPercent(r.lost / r.expected), paint },
      { text: formatDuration(r.elapsedMs) },
      { text: formatRate(r.opsPerSec) },
    ];
  });
  return formatTable(['left', 'right', 'right', 'right', 'right', 'right', 'right'], [heading, ...rows]);
}

function formatBars(results: readonly ModeResult[], chalk: ChalkInstance): string[] {
  const width = Math.max(...results.map((r) => r.mode.length));
  return results.map((r) => {
    const { filled, empty } = formatBar(r.actual / r.expected, BAR_WIDTH);
    const paint = r.lost === 0 ? chalk.green : chalk.red;
    const share = formatPercent(r.actual / r.expected).padStart(6);
    return `${r.mode.padEnd(width)}  ${paint(filled)}${chalk.dim(empty)}  ${share} of expected`;
  });
}

function formatFallback(report: RunReport, chalk: ChalkInstance): string[] {
  return report.fallback.flatMap(({ mode, plainTrials }) =>
    wrapText(
      chalk.yellow(
        `The plain ${mode} race did not show in ${plural(plainTrials, 'trial')}, so ` +
          `${mode} ran again with the gap between each read and its write widened by a short sleep ` +
          '(--widen auto; --widen never turns this off). The lost updates above are real, from that run.',
      ),
      TEXT_WIDTH,
    ),
  );
}

function formatExplanation(results: readonly ModeResult[], chalk: ChalkInstance): string[] {
  return results.map((r) => {
    if (r.mode !== 'unsafe') return `${chalk.bold(r.mode)}: ${MODE_EXPLANATIONS[r.mode]}`;
    if (r.lost > 0) {
      return `${chalk.bold('unsafe')} lost ${chalk.red(formatInt(r.lost))} updates: ${MODE_EXPLANATIONS.unsafe}`;
    }
    return (
      `${chalk.bold('unsafe')} lost nothing this time, but the race is still there: ${MODE_EXPLANATIONS.unsafe} ` +
      'It shows more often with more --iters or --threads, or with --widen always.'
    );
  });
}

function formatCpuWarning(cpus: number, chalk: ChalkInstance): string[] {
  if (cpus >= 2) return [];
  return [
    chalk.yellow(
      `Only ${cpus} CPU is available: the threads take turns instead of running at once, ` +
        'so the race will rarely show.',
    ),
  ];
}

function formatVerdict(report: RunReport, chalk: ChalkInstance): string[] {
  // A failed expectation is reported on stderr, once, by the command.
  if (report.expect === null || report.reason === null || !report.ok) return [];
  return [chalk.green(`--expect ${report.expect} held: ${report.reason}`)];
}
