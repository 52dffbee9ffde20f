import { findBreakingSchedule } from '../explore/breaking-schedule.js';
import type { RunReport } from '../run/run.js';
import { DEFAULT_SCENARIO } from '../scenarios/registry.js';
import { writeSchedule } from '../core/count-text.js';

/**
 * One line that reproduces a failed check: the command exactly as it was given, and where the exact
 * model can break the invariant in the mode that broke it, the replay that shows it step by step.
 */
export async function reproduceLine(report: RunReport, argv: readonly string[], scenarioArg: string, signal?: AbortSignal): Promise<string> {
  const command = ['race-demo', ...argv].map(quote).join(' ');
  const broken = report.results.find((r) => !r.ok);
  if (report.expect !== 'correct' || !broken) return command;
  const schedule = await findBreakingSchedule(scenarioArg, broken.mode, signal);
  if (!schedule) return command;
  const scenario = scenarioArg === DEFAULT_SCENARIO ? '' : ` --scenario ${quote(scenarioArg)}`;
  return `${command}; step by step: race-demo replay${scenario} --mode ${schedule.mode} --threads ${schedule.threads} --iters ${schedule.iters} --schedule ${writeSchedule(schedule.schedule)}`;
}

/** An argument as a POSIX shell would need it. */
export function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
