import type { ChalkInstance } from 'chalk';
import { codeShown, laneText } from '../../core/lane-text.js';
import { BLOCKED, modeOf, RETRY, type Scenario } from '../../core/scenario.js';
import type { ReplayReport } from '../../replay/replay.js';
import { formatTable, visibleLength, type Align, type Entry } from './format.js';

// A replay as a class sees it on the board: the mode's code once, then one lane per thread, each step
// in the lane of the thread that took it (the line it ran and what it read or wrote), and the shared
// cells after it.

/** Lanes only where they stay readable: past this many threads, one row per step. */
const MOST_LANES = 4;
/** A note needs this much room to wrap under itself. */
const NOTE_ROOM = 20;

/** What the lanes show: the steps of a replay, whole or so far. */
export type TraceView = Pick<ReplayReport, 'threads' | 'mode' | 'steps' | 'watching'>;

/** The mode's code, a numbered line per step; nothing where the mode has none. */
export function formatCode(report: TraceView, scenario: Scenario, chalk: ChalkInstance): string[] {
  const shown = codeShown(modeOf(scenario, report.mode));
  if (shown.length === 0) return [];
  const width = String(shown.at(-1)!.number).length;
  return [chalk.bold(`${report.mode}: each thread runs, for each ${scenario.operation}:`), ...shown.map((line) => `  ${chalk.dim(String(line.number).padStart(width))}  ${line.text}`)];
}

/**
 * The steps in lanes, or null where they do not fit `width` (too many threads, or a narrow page): the
 * caller then shows one row per step. Each lane cell shows the code where there is room, else its line.
 */
export function formatLanes(report: TraceView, scenario: Scenario, chalk: ChalkInstance, width: number): string[] | null {
  if (report.threads > MOST_LANES) return null;
  const mode = modeOf(scenario, report.mode);
  const code = mode?.code ?? null;
  for (const withCode of [true, false]) {
    const cells = report.steps.map((step) => laneText(step, withCode ? code : null, mode));
    const laneWidth = Math.max(...cells.map((text) => text.length), 'thread 1'.length);
    const sharedWidth = Math.max(...report.steps.map((step) => step.shared.length), 'shared'.length);
    const stepWidth = Math.max(String(report.steps.length).length, 'step'.length);
    // Where the note column starts, as the table lays it out: every column and its two spaces.
    const before = stepWidth + 2 + report.threads * (laneWidth + 2) + sharedWidth + 2;
    const notes = report.steps.some((step) => step.note);
    if (before - 2 > width || (notes && width - before < NOTE_ROOM)) continue;
    const heading = ['step', ...Array.from({ length: report.threads }, (_, i) => `thread ${i + 1}`), 'shared', ''].map((text): Entry => ({ text, paint: chalk.dim }));
    const rows = report.steps.map((step, i): Entry[] => {
      const paint = step.note?.bad ? chalk.red : step.action === BLOCKED || step.action === RETRY ? chalk.yellow : undefined;
      const lane = (thread: number): Entry => (thread === step.thread ? { text: cells[i]!, ...(paint ? { paint } : {}) } : { text: '' });
      return [
        { text: String(step.step) },
        ...Array.from({ length: report.threads }, (_, t) => lane(t + 1)),
        { text: step.shared },
        { text: step.note?.text ?? '', ...(paint ? { paint } : {}) },
      ];
    });
    const align: Align[] = ['right', ...Array.from({ length: report.threads }, () => 'left' as const), 'left', 'left'];
    const lines = formatTable(align, [heading, ...rows], width);
    if (lines.every((line) => visibleLength(line) <= width)) return lines;
  }
  return null;
}
