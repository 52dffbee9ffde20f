// The counter's hot loops, this build against another: ns per increment for every mode at 4 × 1,000,000,
// the two builds alternated run by run in one process, so that both see the same machine.
//   npm run bench:versus -- --baseline ../race-demo-before     (a checkout with its own `npm run build`)
//   options: --runs 9, --modes unsafe,cas, --threads 4, --iters 1000000
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { counter, modeNames, runRace } from '../dist/index.js';
import { minMedianMax, median } from './lib.js';

const { values: flags } = parseArgs({ options: { baseline: { type: 'string' }, modes: { type: 'string' }, runs: { type: 'string', default: '9' }, threads: { type: 'string', default: '4' }, iters: { type: 'string', default: '1000000' } } });
if (!flags.baseline) throw new Error('--baseline <checkout>: a built race-demo to measure against');
const RUNS = Number(flags.runs);
const THREADS = Number(flags.threads);
const ITERS = Number(flags.iters);

type RunRace = (options: { threads: number; iters: number; modes: string[] }) => Promise<{ results: readonly { elapsedMs: number; expected: number }[] }>;
const baseline = (await import(pathToFileURL(resolve(flags.baseline, 'dist/index.js')).href)) as { runRace: RunRace };

async function nsPerIncrement(run: RunRace, mode: string): Promise<number> {
  const result = (await run({ threads: THREADS, iters: ITERS, modes: [mode] })).results[0]!;
  return (result.elapsedMs * 1e6) / result.expected;
}

const rows: string[] = [];
for (const mode of flags.modes?.split(',') ?? modeNames(counter)) {
  const now: number[] = [];
  const before: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    // Alternate which goes first, so that neither always follows the other's workers.
    const pair = run % 2 === 0 ? [runRace as RunRace, baseline.runRace] : [baseline.runRace, runRace as RunRace];
    for (const which of pair) (which === baseline.runRace ? before : now).push(await nsPerIncrement(which, mode));
  }
  rows.push(`| ${mode} | ${minMedianMax(now, 1)} | ${minMedianMax(before, 1)} | ${(median(now) / median(before)).toFixed(3)} |`);
  process.stderr.write(`versus: ${mode} done\n`);
}
console.log(`ns per increment at ${THREADS} × ${ITERS.toLocaleString('en-US')}, median (min–max) of ${RUNS} runs each, alternated\n`);
console.log('| mode | this build | baseline | ratio of medians |\n|---|---|---|---|');
console.log(rows.join('\n'));
