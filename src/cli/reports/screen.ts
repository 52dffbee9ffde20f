import type { ChalkInstance } from 'chalk';
import type { Scenario } from '../../core/scenario.js';
import { indent, wrapText } from './format.js';
import { formatCode, formatLanes, type TraceView } from './lanes.js';
import { formatTrace } from './replay.js';

/** One screen of an interactive replay or game: a title, the code, the steps so far in lanes, and what comes next. */
export interface Screen {
  readonly title: string;
  /** Lines under the title: a goal, where the cells start. */
  readonly intro: readonly string[];
  readonly trace: TraceView;
  /** Lines under the steps: whose turn is next, each thread's state, what was refused, the keys. */
  readonly status: readonly string[];
}

/** The screen as text, from the top: the caller clears the terminal first. Pure. */
export function formatScreen(screen: Screen, scenario: Scenario, chalk: ChalkInstance, width: number): string {
  const steps = screen.trace.steps.length === 0 ? [chalk.dim('No step taken yet.')] : (formatLanes(screen.trace, scenario, chalk, width) ?? formatTrace(screen.trace, chalk, width));
  const sections = [
    wrapText(chalk.bold(screen.title), width + 2),
    screen.intro.flatMap((line) => wrapText(line, width)).map(indent),
    formatCode(screen.trace, scenario, chalk).map(indent),
    steps.map(indent),
    screen.status.flatMap((line) => wrapText(line, width)).map(indent),
  ];
  return `${sections.filter((lines) => lines.length > 0).map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** Clears a terminal and puts the cursor at the top left. */
export const CLEAR_SCREEN = '\u001b[2J\u001b[H';
