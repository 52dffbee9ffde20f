import type { ChalkInstance } from 'chalk';
import type { LateWrite } from '../engine/replay-analysis.js';
import type { ReplayReport } from '../engine/replay.js';
import type { TraceStep } from '../engine/schedule.js';
import { formatInt, formatTable, indent, plural, wrapText, type Cell } from './format.js';

const TEXT_WIDTH = 96;
const SCHEDULE_SHOWN = 40;

/** The human report of `race-demo replay`: a debugger-style trace, then what was lost and why. Pure. */
export function formatReplayReport(report: ReplayReport, defaultSchedule: boolean, chalk: ChalkInstance): string {
  const sections = [
    [formatHeader(report, defaultSchedule, chalk)],
    formatTrace(report, chalk).map(indent),
    formatOutcome(report, chalk).flatMap((line) => wrapText(line, TEXT_WIDTH)).map(indent),
    wrapText(
      chalk.dim(
        'Every step ran on a real worker thread, released one at a time by a turnstile on Atomics.wait and ' +
          'Atomics.notify: the same schedule gives this same trace on every run, on any number of CPUs.',
      ),
      TEXT_WIDTH,
    ).map(indent),
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function formatHeader(report: ReplayReport, defaultSchedule: boolean, chalk: ChalkInstance): string {
  const shown = report.schedule.slice(0, SCHEDULE_SHOWN).join(',') + (report.schedule.length > SCHEDULE_SHOWN ? ',…' : '');
  const origin = defaultSchedule ? ', the default: each thread in turn' : '';
  return chalk.bold(
    `race-demo replay: ${report.mode}, ${report.threads} threads × ${plural(report.iters, 'increment')}, ` +
      `schedule ${shown} (${plural(report.schedule.length, 'step')}${origin})`,
  );
}

function formatTrace(report: ReplayReport, chalk: ChalkInstance): string[] {
  const late = new Map(report.lateWrites.map((w) => [w.step, w]));
  const heading = ['step', 'thread', 'action', 'value', 'counter', ''].map((text): Cell => ({ text, paint: chalk.dim }));
  const rows = report.steps.map((step): Cell[] => {
    const lateWrite = late.get(step.step);
    const paint = lateWrite ? chalk.red : step.action === 'blocked' || step.action === 'retry' ? chalk.yellow : undefined;
    const cells: Cell[] = [
      { text: String(step.step) },
      { text: `thread ${step.thread}` },
      { text: step.action },
      { text: step.action === 'blocked' || step.action === 'retry' || step.value === null ? '' : formatInt(step.value) },
      { text: formatInt(step.counter) },
      { text: note(step, lateWrite) },
    ];
    return paint ? cells.map((cell) => ({ ...cell, paint })) : cells;
  });
  return formatTable(['right', 'left', 'left', 'right', 'right', 'left'], [heading, ...rows]);
}

function note(step: TraceStep, lateWrite: LateWrite | undefined): string {
  if (step.action === 'blocked') return `waits: thread ${step.value} holds the lock`;
  if (step.action === 'retry') return `fails: the counter moved to ${formatInt(step.value ?? 0)} since the read; reads again`;
  if (lateWrite) return lateWrite.lost > 0 ? `late: ${plural(lateWrite.lost, 'update')} lost` : `late: puts back ${plural(-lateWrite.lost, 'update')}`;
  return '';
}

function formatOutcome(report: ReplayReport, chalk: ChalkInstance): string[] {
  const total = `final ${formatInt(report.final)}, expected ${formatInt(report.expected)}`;
  if (report.lost === 0) {
    return [`${chalk.green(`${total}: exact.`)} ${why(report)}`];
  }
  return [
    chalk.red(`${total}: ${plural(report.lost, 'update')} lost.`),
    ...report.lateWrites.map((w) => {
      const computed = `Step ${w.step}: thread ${w.thread} wrote ${formatInt(w.wrote)}, computed from the ${formatInt(w.read.value)} it read at step ${w.read.step}`;
      if (w.lost < 0) return `${computed}, over a counter of ${formatInt(w.counterBefore)}: it put back ${plural(-w.lost, 'update')}.`;
      const erased = w.erased.length > 0 ? `, erasing ${describeErased(w)}` : '';
      return `${computed}, over a counter of ${formatInt(w.counterBefore)}${erased}.`;
    }),
  ];
}

function why(report: ReplayReport): string {
  if (report.mode === 'atomic') return 'Each add read, added and wrote in one indivisible step, so nothing could land in between.';
  if (report.mode === 'cas') {
    const retries = report.steps.filter((s) => s.action === 'retry').map((s) => s.step);
    if (retries.length === 0) return 'No write landed between a read and its compare-exchange, so every compare-exchange succeeded at once.';
    return (
      `Where a write had landed since the read, the compare-exchange failed (step${retries.length === 1 ? '' : 's'} ${list(retries)}) ` +
      'and the thread read again, so no increment was lost.'
    );
  }
  if (report.mode === 'lock' || report.mode === 'spin') {
    const blocked = report.steps.filter((s) => s.action === 'blocked').map((s) => s.step);
    if (blocked.length === 0) return 'No thread asked for the lock while another held it, so no write could land between a read and its write.';
    return (
      `The lock made threads wait (blocked at step${blocked.length === 1 ? '' : 's'} ${list(blocked)}) until the holder ` +
      'released it, so no write landed between a read and its write.'
    );
  }
  return 'This schedule let every thread finish its read and write before another thread read: no read was overtaken.';
}

function describeErased(lateWrite: LateWrite): string {
  const parts = lateWrite.erased.map((e) => `thread ${e.thread}'s increment at step ${e.step}`);
  return list(parts);
}

function list(items: readonly (string | number)[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${String(items.at(-1))}`;
}
