// Trials on fresh workers (what race-demo does) against workers kept and reused across trials:
// time per trial and how often the race shows.
//   npm run bench:trial-workers
import { Worker } from 'node:worker_threads';
import { runRace } from '../dist/index.js';
import { minMedianMax, report } from './lib.js';

const TRIALS = 40;
const sizes: [number, number][] = [
  [2, 1_000],
  [4, 100_000],
];

async function fresh(threads: number, iters: number): Promise<{ msPerTrial: number[]; raced: number }> {
  const msPerTrial: number[] = [];
  let raced = 0;
  for (let trial = 0; trial < TRIALS; trial++) {
    const start = performance.now();
    const result = await runRace({ threads, iters, modes: ['unsafe'] });
    msPerTrial.push(performance.now() - start);
    if (!result.results[0]!.ok) raced++;
  }
  return { msPerTrial, raced };
}

async function reused(threads: number, iters: number): Promise<{ msPerTrial: number[]; raced: number }> {
  const buffer = new SharedArrayBuffer(256);
  const cells = new Int32Array(buffer, 0, 32);
  const entry = new URL('./fixtures/reused-worker.js', import.meta.url);
  const workers = Array.from({ length: threads }, () => new Worker(entry, { workerData: { buffer, threads, iters, trials: TRIALS }, execArgv: [] }));
  const exits = workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve)));
  const msPerTrial: number[] = [];
  let raced = 0;
  const first = performance.now();
  for (let generation = 1; generation <= TRIALS; generation++) {
    const start = generation === 1 ? first : performance.now();
    for (const cell of [0, 16, 17, 21]) Atomics.store(cells, cell, 0);
    Atomics.store(cells, 20, generation);
    Atomics.notify(cells, 20);
    while (Atomics.load(cells, 21) < threads) {
      const seen = Atomics.load(cells, 21);
      const outcome = Atomics.waitAsync(cells, 21, seen);
      if (outcome.async) await outcome.value;
    }
    msPerTrial.push(performance.now() - start);
    if (Atomics.load(cells, 0) < threads * iters) raced++;
  }
  await Promise.all(exits);
  return { msPerTrial, raced };
}

const rows: string[] = [];
for (const [threads, iters] of sizes) {
  const size = `${threads} × ${iters.toLocaleString('en-US')}`;
  const a = await fresh(threads, iters);
  const b = await reused(threads, iters);
  rows.push(`| ${size} | fresh workers (race-demo) | ${minMedianMax(a.msPerTrial)} | ${a.raced} of ${TRIALS} |`);
  rows.push(`| ${size} | workers reused across trials (first trial includes their start) | ${minMedianMax(b.msPerTrial)} | ${b.raced} of ${TRIALS} |`);
  process.stderr.write(`${size} done\n`);
}
report(
  'trial-workers',
  'npm run bench:trial-workers',
  [
    `${TRIALS} trials of the unsafe loop each way, idle machine. Time per trial in ms: median (min–max), wall clock around the whole trial.`,
    '',
    '| threads × iters | workers | ms per trial | trials that lost updates |',
    '|---|---|---|---|',
    ...rows,
  ].join('\n'),
);
