// What recording evidence costs the unsafe loop: race-demo's unsafe mode with and without evidence (each
// thread tracks, in locals, its largest backward move of the counter) against a bare read-modify-write
// loop behind the same barrier, alternated in one run. ns per increment = elapsed / (threads × iters).
//   npm run bench:evidence-cost
import { Worker } from 'node:worker_threads';
import { runRace } from '../dist/index.js';
import { median, minMedianMax, report } from './lib.js';

const RUNS = 31;
const THREADS = 4;
const ITERS = 1_000_000;

async function bare(): Promise<{ ns: number; lostRatio: number }> {
  const buffer = new SharedArrayBuffer(128 + (1 + THREADS) * 8);
  const cells = new Int32Array(buffer, 0, 32);
  const times = new BigInt64Array(buffer, 128, 1 + THREADS);
  const entry = new URL('./fixtures/bare-worker.js', import.meta.url);
  const workers = Array.from({ length: THREADS }, (_, i) => new Worker(entry, { workerData: { buffer, thread: i + 1, threads: THREADS, iters: ITERS }, execArgv: [] }));
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
  let finish = 0n;
  for (let thread = 1; thread <= THREADS; thread++) if (times[thread]! > finish) finish = times[thread]!;
  const total = THREADS * ITERS;
  return { ns: Number(finish - times[0]!) / total, lostRatio: (total - cells[0]!) / total };
}

async function raceDemo(evidence: boolean): Promise<{ ns: number; lostRatio: number }> {
  const result = await runRace({ threads: THREADS, iters: ITERS, modes: ['unsafe'], evidence });
  const unsafe = result.results[0]!;
  return { ns: (unsafe.elapsedMs * 1e6) / unsafe.expected, lostRatio: unsafe.lostRatio ?? 0 };
}

const bareRuns: { ns: number; lostRatio: number }[] = [];
const plainRuns: { ns: number; lostRatio: number }[] = [];
const ownRuns: { ns: number; lostRatio: number }[] = [];
for (let run = 0; run < RUNS; run++) {
  bareRuns.push(await bare());
  plainRuns.push(await raceDemo(false));
  ownRuns.push(await raceDemo(true));
}
const ratio = (runs: { ns: number }[]) => (median(runs.map((r) => r.ns)) / median(bareRuns.map((r) => r.ns))).toFixed(2);
report(
  'evidence-cost',
  'npm run bench:evidence-cost',
  [
    `${THREADS} threads × ${ITERS.toLocaleString('en-US')} increments, ${RUNS} runs each, alternated. Median (min–max).`,
    '',
    '| loop | ns per increment | share of updates lost |',
    '|---|---|---|',
    `| bare read-modify-write (baseline) | ${minMedianMax(bareRuns.map((r) => r.ns), 2)} | ${minMedianMax(bareRuns.map((r) => r.lostRatio), 3)} |`,
    `| race-demo unsafe --no-evidence | ${minMedianMax(plainRuns.map((r) => r.ns), 2)} | ${minMedianMax(plainRuns.map((r) => r.lostRatio), 3)} |`,
    `| race-demo unsafe, recording evidence (the default) | ${minMedianMax(ownRuns.map((r) => r.ns), 2)} | ${minMedianMax(ownRuns.map((r) => r.lostRatio), 3)} |`,
    '',
    `Ratio of medians to the baseline: --no-evidence ${ratio(plainRuns)}, recording evidence ${ratio(ownRuns)}.`,
  ].join('\n'),
);
