// How long the exact model takes, and how many states it visits, for a few sizes.
//   npm run bench:explore
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exploreInterleavings } from '../dist/index.js';
import { ChainSpace } from '../dist/scenarios/counter/model/chain-space.js';
import { exploreSpace } from '../dist/scenarios/counter/model/index.js';
import { StepSpace } from '../dist/scenarios/counter/model/step-space.js';
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

// The most states each size may visit: the default, the largest that fits explore's memory budget here
// (a fixed 10,000,000 is refused on a machine whose budget holds fewer).
const rows: string[] = [];
for (const [mode, threads, iters] of sizes) {
  const times: number[] = [];
  let last = await exploreInterleavings({ mode, threads, iters });
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    last = await exploreInterleavings({ mode, threads, iters });
    times.push(performance.now() - start);
  }
  rows.push(`| ${mode} | ${threads} × ${iters} | ${BigInt(last.interleavings).toLocaleString('en-US')} | ${last.statesVisited.toLocaleString('en-US')} | ${minMedianMax(times, 0)} |`);
  process.stderr.write(`${mode} ${threads} × ${iters} done\n`);
}
// The counter's unsafe mode in its two spaces, the model alone: by read-from chains (what explore uses)
// and step by step (what it used before, and still uses for the other modes).
const spaceRows: string[] = [];
for (const [threads, iters] of [[3, 6], [4, 5], [4, 6]] as const) {
  const size = { threads, iters };
  for (const [name, make] of [['chains', () => new ChainSpace(size)], ['steps', () => new StepSpace('unsafe', size)]] as const) {
    const times: number[] = [];
    let states = exploreSpace(make(), 1e8).statesVisited;
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      states = exploreSpace(make(), 1e8).statesVisited;
      times.push(performance.now() - start);
    }
    spaceRows.push(`| ${threads} × ${iters} | ${name} | ${states.toLocaleString('en-US')} | ${minMedianMax(times, 0)} |`);
  }
  process.stderr.write(`spaces ${threads} × ${iters} done\n`);
}
// The whole command, as a user runs it: Node's start, loading the CLI, a cold model, the output.
const BIN = fileURLToPath(new URL('../bin/race-demo.cjs', import.meta.url));
const COMMAND_RUNS = 9;
function wallMs(args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited with ${result.status}`);
  return performance.now() - start;
}
const commandRows: string[] = [];
for (const [label, args] of [
  ["`node -e ''` (baseline)", ['-e', '']],
  ['`race-demo explore -t 4 -n 6 --json`', [BIN, 'explore', '-t', '4', '-n', '6', '--json']],
] as const) {
  const times = Array.from({ length: COMMAND_RUNS }, () => wallMs([...args]));
  commandRows.push(`| ${label} | ${minMedianMax(times, 0)} |`);
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
    '',
    `The counter's unsafe model alone (no worker, no count by preemptions), in its two spaces, ${RUNS} runs after one warm-up. Time in ms: median (min–max).`,
    '',
    '| threads × iters | space | states | ms |',
    '|---|---|---|---|',
    ...spaceRows,
    '',
    `Whole commands, ${COMMAND_RUNS} runs each, wall time in ms: median (min–max).`,
    '',
    '| command | ms |',
    '|---|---|',
    ...commandRows,
  ].join('\n'),
);
