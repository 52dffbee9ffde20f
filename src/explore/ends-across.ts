import type { EndValues } from '../core/scenario.js';
import type { ExploredEnd, ExploreReport } from './explore.js';
import { valuesText } from '../core/end-values.js';

// A test's ends across the reports of several models of memory, matched by their values (each model
// keys its ends its own way): what explore's report in a terminal and the page's table both show.

export type ValuedEnd = ExploredEnd & { readonly values: EndValues };

/** Every end any model reached, once, in order of its values; with the judgement the test gives it. */
export function endsAcross(reports: readonly ExploreReport[], names: readonly string[]): ValuedEnd[] {
  const byKey = new Map<string, ValuedEnd>();
  for (const report of reports) {
    for (const end of report.outcomes) if (end.values) byKey.set(keyOf(end.values, names), end as ValuedEnd);
  }
  return [...byKey.values()].sort((a, b) => {
    for (const name of names) if (a.values[name] !== b.values[name]) return a.values[name]! - b.values[name]!;
    return 0;
  });
}

/** How many of the report's executions end with these values. */
export function countAt(report: ExploreReport, values: EndValues, names: readonly string[]): bigint {
  return BigInt(endAt(report, values, names)?.count ?? '0');
}

/** A schedule in `report` that ends with these values: the fewest preemptions where counted, else the model's witness; null where it reaches none. */
function scheduleIn(report: ExploreReport, values: EndValues, names: readonly string[]): readonly number[] | null {
  const end = endAt(report, values, names);
  if (!end) return null;
  const simplest = report.preemptions?.find((p) => p.final === end.final && p.deadlock === end.deadlock);
  return simplest?.schedule ?? end.witness ?? (report.min.final === end.final ? report.min.schedule : report.max.final === end.final ? report.max.schedule : null);
}

/**
 * A schedule to the end with these values: `steps`, one a replay takes, where sc reaches it (a replay
 * takes whole steps, which only sc counts); else `flushes`, the first other model's, which only store
 * buffers take. Both null where no model reaches it.
 */
export function schedulesTo(reports: readonly ExploreReport[], values: EndValues, names: readonly string[]): { readonly steps: readonly number[] | null; readonly flushes: readonly number[] | null } {
  const sc = reports.find((r) => r.memoryModel === 'sc');
  const steps = sc ? scheduleIn(sc, values, names) : null;
  if (steps) return { steps, flushes: null };
  const flushes = reports.map((r) => scheduleIn(r, values, names)).find((s) => s !== null) ?? null;
  return { steps: null, flushes };
}

function endAt(report: ExploreReport, values: EndValues, names: readonly string[]): ExploredEnd | undefined {
  const key = keyOf(values, names);
  return report.outcomes.find((o) => o.values && keyOf(o.values, names) === key);
}

function keyOf(values: EndValues, names: readonly string[]): string {
  return valuesText(names, values);
}
