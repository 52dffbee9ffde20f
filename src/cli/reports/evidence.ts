import type { ChalkInstance } from 'chalk';
import type { Scenario } from '../../core/scenario.js';
import type { Evidence, RunDeadlock } from '../../run/trial.js';
import { formatDuration, formatInt, formatTable, plural, wrapText, type Entry } from './format.js';

/** A deadlock as the threads found it: who found it, when, and how soon the coordinator ended it. */
export function formatDeadlock(deadlock: RunDeadlock, width: number, chalk: ChalkInstance): string[] {
  const heading = ['thread', 'holds', 'waits for'].map((text): Entry => ({ text, paint: chalk.dim }));
  const rows = deadlock.cycle.map((link): Entry[] => [{ text: `thread ${link.thread}` }, { text: link.holds }, { text: link.waitsFor, paint: chalk.red }]);
  const words =
    `${chalk.bold('Caught in the act:')} thread ${deadlock.foundBy}, about to sleep on a taken lock, followed the waits (each thread writes the lock ` +
    `it waits for before it sleeps) and the locks' holder cells round a cycle, ${formatDuration(deadlock.foundAtMs)} after the release. ` +
    `The coordinator knew ${formatDuration(deadlock.noticedAfterMs)} later and ended every worker: no timeout was involved.`;
  return [...wrapText(words, width), '', ...formatTable(['left', 'left', 'left'], [heading, ...rows], width - 2).map((line) => `  ${line}`)];
}

/** The race as the threads caught it in the act, in the scenario's words and as a small step table. */
export function formatEvidence(evidence: Evidence, threads: number, scenario: Scenario, width: number, chalk: ChalkInstance): string[] {
  const sighting = evidence.largest;
  if (sighting === null) {
    const why = threads === 1 ? 'with one thread there is nothing to catch' : (scenario.unseen ?? 'a thread only sees what it looks at, when it looks');
    return wrapText(`No thread happened to catch the race in the act this time: ${why}.`, width);
  }
  const seen = `The threads caught it ${plural(evidence.sightings, 'time')} in this run.`;
  const words = `${chalk.bold('Caught in the act:')} ${sighting.text}. ${seen}`;
  const heading = ['thread', 'step', sighting.steps.some((s) => s.watch !== '') ? 'after' : '', ''].map((text): Entry => ({ text, paint: chalk.dim }));
  const rows = sighting.steps.map((s): Entry[] => [
    { text: s.who },
    { text: s.did },
    { text: s.watch, ...(s.bad ? { paint: chalk.red } : {}) },
    { text: s.note, ...(s.bad ? { paint: chalk.red } : {}) },
  ]);
  return [...wrapText(words, width), '', ...formatTable(['left', 'left', 'right', 'left'], [heading, ...rows], width - 2).map((line) => `  ${line}`), ...costLine(sighting.cost, chalk)];
}

function costLine(cost: number, chalk: ChalkInstance): string[] {
  return cost > 1 ? [chalk.dim(`  (that one sighting cost ${formatInt(cost)})`)] : [];
}
