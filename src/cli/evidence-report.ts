import type { ChalkInstance } from 'chalk';
import type { LostUpdateEvidence, LostUpdateWitness } from '../engine/trial.js';
import { formatInt, formatTable, wrapText, type Cell } from './format.js';

/** One lost update that really happened in the run, in words and as a small step table. */
export function formatEvidence(evidence: LostUpdateEvidence, width: number, chalk: ChalkInstance): string[] {
  const witness = evidence.largest;
  if (witness === null) {
    return wrapText('No thread happened to catch a late write in the act this time, so there is no witness to show.', width);
  }
  const lost = `at least ${formatInt(witness.lostAtLeast)} update${witness.lostAtLeast === 1 ? '' : 's'} lost`;
  const sightings =
    `The threads caught ${formatInt(evidence.sightings)} late write${evidence.sightings === 1 ? '' : 's'} ` +
    `like it in this run.`;
  const words = `${chalk.bold('Caught in the act:')} ${describe(witness)}: ${chalk.red(lost)} by that one write. ${sightings}`;
  const heading = ['thread', 'step', 'counter', ''].map((text): Cell => ({ text, paint: chalk.dim }));
  const table = formatTable(['left', 'left', 'right', 'left'], [heading, ...steps(witness, lost, chalk)]);
  return [...wrapText(words, width), '', ...table.map((line) => `  ${line}`)];
}

function describe(witness: LostUpdateWitness): string {
  if (witness.kind === 'went-back') {
    const { thread, wrote, found } = witness;
    return (
      `thread ${thread} wrote ${formatInt(wrote)}, and its next read found ${formatInt(found)}. In between, ` +
      `another thread wrote ${formatInt(found)} (the ${formatInt(found - 1)} it had read, plus one) over a ` +
      `counter of at least ${formatInt(wrote)}`
    );
  }
  const { thread, read, found } = witness;
  return (
    `thread ${thread} read ${formatInt(read)}, and just before it wrote ${formatInt(read + 1)} the counter ` +
    `already stood at ${formatInt(found)}, raised by other threads in the meantime`
  );
}

function steps(witness: LostUpdateWitness, lost: string, chalk: ChalkInstance): Cell[][] {
  if (witness.kind === 'went-back') {
    const { thread, wrote, found } = witness;
    return [
      [{ text: `thread ${thread}` }, { text: `writes ${formatInt(wrote)}` }, { text: formatInt(wrote) }, { text: '' }],
      [
        { text: 'another' },
        { text: `writes ${formatInt(found)} (it read ${formatInt(found - 1)})` },
        { text: formatInt(found), paint: chalk.red },
        { text: lost, paint: chalk.red },
      ],
      [{ text: `thread ${thread}` }, { text: `reads ${formatInt(found)}` }, { text: formatInt(found) }, { text: 'below its own last write' }],
    ];
  }
  const { thread, read, found } = witness;
  return [
    [{ text: `thread ${thread}` }, { text: `reads ${formatInt(read)}` }, { text: formatInt(read) }, { text: '' }],
    [{ text: 'others' }, { text: `raise it to ${formatInt(found)}` }, { text: formatInt(found) }, { text: '' }],
    [
      { text: `thread ${thread}` },
      { text: `writes ${formatInt(read + 1)}` },
      { text: formatInt(read + 1), paint: chalk.red },
      { text: lost, paint: chalk.red },
    ],
  ];
}
