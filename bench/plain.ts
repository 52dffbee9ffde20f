// Tests written as plain code and litmus files against the built-ins they mirror, in the same run:
// explore of the counter as a plain file against the built-in counter (whole commands, and the counts
// compared), and the rounds a second of store buffering as a plain file and as SB.litmus against the
// built-in reorder's hand-written loop, idle and with both CPUs busy.
//   npm run bench:plain
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runRace } from '../dist/index.js';
import { median, minMedianMax, report, settle, startBurners } from './lib.js';

const BIN = fileURLToPath(new URL('../bin/race-demo.cjs', import.meta.url));
const example = (name: string) => fileURLToPath(new URL(`../docs/examples/${name}`, import.meta.url));
const COUNTER = example('counter.mjs');
const COMMAND_RUNS = 7;
const RATE_RUNS = 9;
const ROUNDS = 1_000_000;
/** litmus7's own rate for SB on x86, in C (the figure the issue gives; not measured here: litmus7 is not installed). */
const LITMUS7_ROUNDS_PER_S = 2_300_000;

interface Explored {
  readonly interleavings: string;
  readonly outcomes: readonly { readonly final: number; readonly count: string; readonly values?: Readonly<Record<string, number>> }[];
}

/** One whole command, as a user runs it: its wall time and its JSON. */
function explore(args: readonly string[]): { ms: number; report: Explored } {
  const start = performance.now();
  const result = spawnSync(process.execPath, [BIN, 'explore', ...args, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`explore ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return { ms, report: JSON.parse(result.stdout) as Explored };
}

// A test keys its ends by a hash of their values: the counter's value is its `c`.
const countsOf = (report: Explored) =>
  JSON.stringify([report.interleavings, report.outcomes.map((o) => [o.values?.c ?? o.final, o.count]).sort((a, b) => Number(a[0]) - Number(b[0]))]);

const exploreRows: string[] = [];
for (const [threads, iters] of [[2, 3], [3, 3]] as const) {
  for (const mode of ['unsafe', 'atomic', 'lock', 'cas']) {
    const size = ['-t', String(threads), '-n', String(iters), '-m', mode];
    const builtIn: number[] = [];
    const plain: number[] = [];
    let same = true;
    let interleavings = '';
    // Pair by pair, so a busy moment weighs on both alike.
    for (let run = 0; run < COMMAND_RUNS; run++) {
      const a = explore(size);
      const b = explore(['--scenario', COUNTER, ...size]);
      builtIn.push(a.ms);
      plain.push(b.ms);
      same &&= countsOf(a.report) === countsOf(b.report);
      interleavings = a.report.interleavings;
    }
    exploreRows.push(`| ${threads} × ${iters} | ${mode} | ${BigInt(interleavings).toLocaleString('en-US')} | ${same ? 'equal' : '**differ**'} | ${minMedianMax(builtIn, 0)} | ${minMedianMax(plain, 0)} | ${(median(plain) / median(builtIn)).toFixed(2)} |`);
    process.stderr.write(`explore ${threads} × ${iters} ${mode} done\n`);
  }
}

/** Rounds a second of one run of a test's first mode (or `mode`): every thread meets before each round. */
async function roundsPerSecond(scenario: string, mode: string): Promise<number> {
  const run = await runRace({ scenario, iters: ROUNDS, modes: [mode] });
  return run.results[0]!.opsPerSec;
}

const SUBJECTS = [
  ['the built-in reorder, its own loop (baseline)', 'reorder', 'unsafe'],
  ['store-buffering.mjs, a test written as code', example('store-buffering.mjs'), 'unsafe'],
  ['litmus/SB.litmus', example('litmus/SB.litmus'), 'test'],
] as const;

async function rateRows(): Promise<string[]> {
  const rates = SUBJECTS.map((): number[] => []);
  for (let run = 0; run < RATE_RUNS; run++) {
    for (const [i, [, scenario, mode]] of SUBJECTS.entries()) rates[i]!.push(await roundsPerSecond(scenario, mode));
  }
  const base = median(rates[0]!);
  return SUBJECTS.map(([label], i) => {
    const m = median(rates[i]!);
    const k = (value: number) => `${Math.round(value / 1000).toLocaleString('en-US')}k`;
    return `| ${label} | ${k(m)} (${k(Math.min(...rates[i]!))}–${k(Math.max(...rates[i]!))}) | ${(m / base).toFixed(2)} | ${(m / LITMUS7_ROUNDS_PER_S).toFixed(2)} |`;
  });
}

const idle = await rateRows();
process.stderr.write('rates, idle, done\n');
const burners = startBurners(2);
await settle();
const loaded = await rateRows();
await burners.stop();
process.stderr.write('rates, loaded, done\n');

const rateHeading = ['| what runs SB on 2 threads | rounds/s: median (min–max) | against reorder | against litmus7 (2.3 M/s) |', '|---|---|---|---|'];
report(
  'plain',
  'npm run bench:plain',
  [
    `## explore: the counter as a plain file (docs/examples/counter.mjs) against the built-in counter`,
    '',
    `Whole commands (\`race-demo explore [--scenario docs/examples/counter.mjs] -t T -n N -m M --json\`), ${COMMAND_RUNS} pairs each, one after the other; wall time in ms: median (min–max). "counts": whether every pair's interleavings and per-end counts were equal.`,
    '',
    '| threads × iters | mode | interleavings | counts | built-in ms | plain file ms | ratio of medians |',
    '|---|---|---|---|---|---|---|',
    ...exploreRows,
    '',
    `## run: store buffering's rounds a second on 2 threads`,
    '',
    `${ROUNDS.toLocaleString('en-US')} rounds a run, ${RATE_RUNS} runs of each, taken in turn; the rate is the report's (rounds over the time from the release to the last thread's finish). litmus7's 2.3 M/s is its own C harness's rate for SB on x86 (the figure the issue gives, not measured on this machine).`,
    '',
    'Idle:',
    '',
    ...rateHeading,
    ...idle,
    '',
    'With both CPUs busy (two processes spinning):',
    '',
    ...rateHeading,
    ...loaded,
  ].join('\n'),
);
