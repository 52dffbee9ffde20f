// How long the exact model takes, and how many states it visits, for a few sizes.
//   npm run bench:explore
import { exploreInterleavings } from '../dist/index.js';
import { minMedianMax, report } from './lib.js';

const RUNS = 5;
const sizes: ['unsafe' | 'lock', number, number][] = [
  ['unsafe', 2, 3],
  ['unsafe', 3, 3],
  ['unsafe', 4, 4],
  ['unsafe', 3, 6],
  ['unsafe', 4, 6],
  ['lock', 4, 6],
];

const rows: string[] = [];
for (const [mode, threads, iters] of sizes) {
  const times: number[] = [];
  let last = exploreInterleavings({ mode, threads, iters, maxStates: 10_000_000 });
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    last = exploreInterleavings({ mode, threads, iters, maxStates: 10_000_000 });
    times.push(performance.now() - start);
  }
  rows.push(`| ${mode} | ${threads} × ${iters} | ${BigInt(last.interleavings).toLocaleString('en-US')} | ${last.statesVisited.toLocaleString('en-US')} | ${minMedianMax(times, 0)} |`);
  process.stderr.write(`${mode} ${threads} × ${iters} done\n`);
}
report(
  'explore',
  'npm run bench:explore',
  [
    `The exact model, ${RUNS} runs per size after one warm-up run, in one process. Time in ms: median (min–max).`,
    '',
    '| mode | threads × iters | interleavings | states visited | ms |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n'),
);
