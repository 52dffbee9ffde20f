import type { ChalkInstance } from 'chalk';
import { BLOCKED, modeOf, RETRY, type Scenario } from '../../core/scenario.js';
import type { ReplayReport } from '../../replay/replay.js';
import { formatInt, formatTable, indent, listOf, plural, wrapText, type Entry } from './format.js';
import { formatCode, formatLanes, type TraceView } from './lanes.js';
import { writeSchedule } from '../../core/count-text.js';

/** The most characters of the schedule the header shows (it wraps with the title). */
const SCHEDULE_SHOWN = 80;

/** The human report of `race-demo replay`, for every scenario: a debugger-style trace, then what happened and why. Pure. */
export function formatReplayReport(report: ReplayReport, scenario: Scenario, defaultSchedule: boolean, chalk: ChalkInstance, width: number): string {
  const wrap = (paragraph: string) => wrapText(paragraph, width);
  const paint = report.ok ? chalk.green : chalk.red;
  const [first = '', ...rest] = report.summary;
  const sections = [
    wrapText(chalk.bold(formatHeader(report, scenario, defaultSchedule)), width + 2),
    wrap(chalk.dim(scenario.describeStart?.({ threads: report.threads, iters: report.iters }) ?? '')).map(indent),
    formatCode(report, scenario, chalk).map(indent),
    (formatLanes(report, scenario, chalk, width) ?? formatTrace(report, chalk, width)).map(indent),
    [paint(first), ...rest, ...(report.ok ? [why(report, scenario)] : [])].flatMap(wrap).map(indent),
    wrap(`${chalk.bold(report.mode)}: ${modeOf(scenario, report.mode)!.explanation}`).map(indent),
    wrap(
      chalk.dim(
        'Every step ran on a real worker thread, released one at a time by a turnstile on Atomics.wait and ' +
          'Atomics.notify: the same schedule gives this same trace on every run, on any number of CPUs.',
      ),
    ).map(indent),
  ];
  return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function formatHeader(report: ReplayReport, scenario: Scenario, defaultSchedule: boolean): string {
  const written = writeSchedule(report.schedule);
  // Cut at a comma, so that what is shown is a schedule's start as it would be written.
  const shown = written.length <= SCHEDULE_SHOWN ? written : `${written.slice(0, written.lastIndexOf(',', SCHEDULE_SHOWN))},…`;
  const origin = defaultSchedule ? ', the default: each thread in turn' : '';
  return (
    `race-demo replay ${report.scenario}: ${report.mode}, ${plural(report.threads, 'thread')} × ${plural(report.iters, scenario.operation)}, ` +
    `schedule ${shown} (${plural(report.schedule.length, 'step')}${origin})`
  );
}

/** One row per step: where lanes do not fit. */
export function formatTrace(report: TraceView, chalk: ChalkInstance, width: number): string[] {
  const heading = ['step', 'thread', 'action', 'value', report.watching, ''].map((text): Entry => ({ text, paint: chalk.dim }));
  const rows = report.steps.map((step): Entry[] => {
    const paint = step.note?.bad ? chalk.red : step.action === BLOCKED || step.action === RETRY ? chalk.yellow : undefined;
    const entries: Entry[] = [
      { text: String(step.step) },
      { text: `thread ${step.thread}` },
      { text: step.action },
      { text: step.action === BLOCKED || step.action === RETRY || step.value === null ? '' : formatInt(step.value) },
      { text: formatInt(step.watch) },
      { text: step.note?.text ?? '' },
    ];
    return paint ? entries.map((entry) => ({ ...entry, paint })) : entries;
  });
  return formatTable(['right', 'left', 'left', 'right', 'right', 'left'], [heading, ...rows], width);
}

/** Why a run that kept the invariant kept it, from what the trace shows. */
function why(report: ReplayReport, scenario: Scenario): string {
  const mode = modeOf(scenario, report.mode)!;
  const stepsWith = (action: string) => report.steps.filter((s) => s.action === action).map((s) => s.step);
  if (mode.lock) {
    const blocked = stepsWith(BLOCKED);
    const how = mode.lock === 'spin' ? 'spun on the lock, reading it again and again,' : 'waited for the lock';
    if (blocked.length === 0) return 'No thread asked for the lock while another held it: each critical section ran alone.';
    return `Threads ${how} (step${blocked.length === 1 ? '' : 's'} ${listOf(blocked)}) until the holder released it, so each critical section ran alone.`;
  }
  if (mode.retries) {
    const retries = stepsWith(RETRY);
    if (retries.length === 0) return 'Nothing landed between a read and its compare-exchange, so every compare-exchange succeeded at once.';
    return `Where something had landed since the read, the compare-exchange failed (step${retries.length === 1 ? '' : 's'} ${listOf(retries)}) and the thread read again.`;
  }
  if (!mode.racy) return 'Each step that could be overtaken was one indivisible operation, so nothing could land in between.';
  return 'This schedule kept the invariant; explore counts, of every schedule, how many do.';
}
