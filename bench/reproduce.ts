// How often does the race show? k of K trials that lost updates, for a few sizes, on an idle machine
// and with every CPU kept busy by another process, with and without the widened gap (--widen always).
//   npm run bench:reproduce [-- --trials 40]
import { availableParallelism } from 'node:os';
import { runRace, wilsonInterval } from '../dist/index.js';
import { report, settle, startBurners } from './lib.js';

const trials = Number(process.argv[process.argv.indexOf('--trials') + 1] ?? '') || 40;
const plainSizes: [number, number][] = [
  [2, 1_000],
  [4, 10_000],
  [4, 100_000],
];
const aidedSizes: [number, number][] = [
  [2, 1],
  [2, 10],
  [2, 100],
  [4, 10],
  [2, 1_000],
];

interface Row {
  size: string;
  widen: boolean;
  idle: string;
  loaded: string;
}

async function rate(threads: number, iters: number, widen: boolean): Promise<string> {
  const result = await runRace({ threads, iters, modes: ['unsafe'], trials, widen: widen ? 'always' : 'never' });
  const summary = result.trials!.modes[0]!;
  const { low, high } = wilsonInterval(summary.raced, summary.run);
  return `${summary.raced} of ${summary.run} (95% CI ${(low * 100).toFixed(0)}–${(high * 100).toFixed(0)}%)`;
}

async function measure(loaded: boolean, rows: Row[]): Promise<void> {
  const burners = loaded ? startBurners(availableParallelism()) : null;
  if (burners) await settle();
  try {
    for (const [widen, sizes] of [[false, plainSizes], [true, aidedSizes]] as const) {
      for (const [threads, iters] of sizes) {
        const size = `${threads} × ${iters.toLocaleString('en-US')}`;
        let row = rows.find((r) => r.size === size && r.widen === widen);
        if (!row) rows.push((row = { size, widen, idle: '', loaded: '' }));
        row[loaded ? 'loaded' : 'idle'] = await rate(threads, iters, widen);
        process.stderr.write(`${loaded ? 'loaded' : 'idle'} ${size} widen=${widen}: ${row[loaded ? 'loaded' : 'idle']}\n`);
      }
    }
  } finally {
    await burners?.stop();
  }
}

const rows: Row[] = [];
await measure(false, rows);
await measure(true, rows);

const table = [
  '| threads × iters | gap | idle | every CPU busy with another process |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.size} | ${r.widen ? 'widened (`--widen always`)' : 'plain'} | ${r.idle} | ${r.loaded} |`),
].join('\n');
report(
  'reproduce',
  `npm run bench:reproduce -- --trials ${trials}`,
  `Trials of \`race-demo run --mode unsafe\` that lost at least one update (k of K), each trial on fresh workers released by the start barrier. "Busy": one spinning \`node\` process per CPU.\n\n${table}`,
);
