import { BLOCKED, RETRY, type ModeSpec, type TraceStep } from './scenario.js';
import { formatInt } from './text.js';

/**
 * A replayed step as its thread's lane shows it, in a terminal or on the page: the line it ran (with
 * the code where given), then what it read or wrote, or that it waits or retries. Where the mode's code
 * is a file's (a test written as code), a line of it says too little or too much: the step says what it
 * did ("8 read y").
 */
export function laneText(step: TraceStep, code: readonly string[] | null, mode?: ModeSpec): string {
  const byAction = mode?.codeLines !== undefined;
  const line = step.line === null ? step.action : byAction ? `${step.line} ${step.action}` : code ? `${step.line} ${code[step.line - 1]}` : `line ${step.line}`;
  if (step.action === BLOCKED) return `${line}: waits`;
  if (step.action === RETRY) return `${line}: retry`;
  return step.value === null ? line : `${line} → ${formatInt(step.value)}`;
}

/** The lines of a mode's code that a replay shows, numbered as the code numbers them: all, or a test's functions. */
export function codeShown(mode: ModeSpec | undefined): { readonly number: number; readonly text: string }[] {
  const code = mode?.code;
  if (!code) return [];
  const from = mode.codeLines?.from ?? 1;
  const to = mode.codeLines?.to ?? code.length;
  return code.slice(from - 1, to).map((text, i) => ({ number: from + i, text }));
}
