// How a trial starts its threads: fresh workers for every trial, or one crew kept across a mode's trials
// (what race-demo does), plain and with the gap widened: time per trial and how often the race shows,
// idle and with both CPUs busy. The choice and its reasons are in docs/reproducing.md.
//   npm run bench:trial-workers
import { runRace } from '../dist/index.js';
import { minMedianMax, report, settle, startBurners } from './lib.js';

const TRIALS = 40;
const sizes: [number, number][] = [
  [2, 10],
  [2, 1_000],
  [4, 100_000],
];
const ways = [
  { label: 'fresh workers, plain', freshWorkers: true, widen: 'never' as const },
  { label: 'one crew across the trials, plain', freshWorkers: false, widen: 'never' as const },
  { label: 'one crew across the trials, gap widened', freshWorkers: false, widen: 'always' as const },
];

async function measure(threads: number, iters: number, way: (typeof ways)[number]): Promise<{ msPerTrial: number; raced: number }> {
  const started = performance.now();
  const result = await runRace({ threads, iters, modes: ['unsafe'], trials: TRIALS, widen: way.widen, freshWorkers: way.freshWorkers });
  return { msPerTrial: (performance.now() - started) / TRIALS, raced: result.trials!.modes[0]!.raced };
}

const rows: string[] = [];
for (const load of ['idle', 'both CPUs busy'] as const) {
  const burners = load === 'idle' ? null : startBurners(2);
  if (burners) await settle();
  for (const [threads, iters] of sizes) {
    for (const way of ways) {
      // Widened trials of 100,000 increments take 10 s each: the widened gap is for small sizes.
      if (way.widen === 'always' && iters > 1_000) continue;
      const runs = [await measure(threads, iters, way), await measure(threads, iters, way), await measure(threads, iters, way)];
      rows.push(`| ${load} | ${threads} × ${iters.toLocaleString('en-US')} | ${way.label} | ${minMedianMax(runs.map((r) => r.msPerTrial), 2)} | ${runs.map((r) => `${r.raced} of ${TRIALS}`).join(', ')} |`);
      process.stderr.write(`${load} ${threads} × ${iters} ${way.label} done\n`);
    }
  }
  await burners?.stop();
}
report(
  'trial-workers',
  'npm run bench:trial-workers',
  [
    `${TRIALS} trials of the counter's unsafe mode each way, three times (runRace with --trials ${TRIALS}); time per trial in ms (the whole run over ${TRIALS}, starting the workers included): median (min–max) of the three; and in each of the three, how many trials lost updates.`,
    '',
    '| machine | threads × iters | threads | ms per trial | trials that lost updates |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n'),
);
