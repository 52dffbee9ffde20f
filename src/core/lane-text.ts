import { BLOCKED, RETRY, type TraceStep } from './scenario.js';
import { formatInt } from './text.js';

/**
 * A replayed step as its thread's lane shows it, in a terminal or on the page: the line it ran (with
 * the code where given), then what it read or wrote, or that it waits or retries.
 */
export function laneText(step: TraceStep, code: readonly string[] | null): string {
  const line = step.line === null ? step.action : code ? `${step.line} ${code[step.line - 1]}` : `line ${step.line}`;
  if (step.action === BLOCKED) return `${line}: waits`;
  if (step.action === RETRY) return `${line}: retry`;
  return step.value === null ? line : `${line} → ${formatInt(step.value)}`;
}
