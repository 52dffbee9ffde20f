// What each fix costs, measured: ns per increment for every mode at threads {1, 2, 4, 8} × iterations
// {100,000; 1,000,000}, against baselines measured in the same run (bare loops behind the same barrier,
// and C with pthreads where `cc` is present), plus whole-command timings. Writes bench/RESULTS.md and
// bench/results/ns-per-increment.svg.
//   npm run bench                 the full run (a few minutes)
//   npm run bench -- --quick      one tiny point, for the smoke test (--out to write elsewhere)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { counter, modeNames, runRace } from '../dist/index.js';

const MODES = modeNames(counter);
type Mode = string;
import { chartSvg, chartText, type Series } from './chart.js';
import { machine, median, minMedianMax } from './lib.js';

const { values: flags } = parseArgs({ options: { quick: { type: 'boolean', default: false }, out: { type: 'string' } } });
const quick = flags.quick;
const THREADS = quick ? [1, 2] : [1, 2, 4, 8];
const ITERS = quick ? [1_000] : [100_000, 1_000_000];
const RUNS = quick ? 1 : 5;
const COMMAND_RUNS = quick ? 1 : 21;
const resultsFile = flags.out ?? fileURLToPath(new URL('./RESULTS.md', import.meta.url));
const chartFile = flags.out ? `${flags.out}.svg` : fileURLToPath(new URL('./results/ns-per-increment.svg', import.meta.url));
const runsFile = flags.out ? `${flags.out}.runs.json` : fileURLToPath(new URL('./results/bench-runs.json', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/race-demo.cjs', import.meta.url));
const BARE_RUN = fileURLToPath(new URL('./fixtures/bare-run.js', import.meta.url));

interface Sample {
  readonly ns: number;
  readonly lostRatio: number;
  /** Whether the run slept between a read and its write: never, here (see raceDemo). */
  readonly widened?: boolean;
}
const samples = new Map<string, Sample[]>();
const keyOf = (what: string, threads: number, iters: number) => `${what}|${threads}|${iters}`;
function record(what: string, threads: number, iters: number, sample: Sample): void {
  const key = keyOf(what, threads, iters);
  samples.set(key, [...(samples.get(key) ?? []), sample]);
}
const nsOf = (what: string, threads: number, iters: number) => (samples.get(keyOf(what, threads, iters)) ?? []).map((s) => s.ns);

function progress(text: string): void {
  process.stderr.write(`bench: ${text}\n`);
}

/** The bare loop behind the same barrier as race-demo's workers: release to last finish, per increment. */
async function bare(op: 'add' | 'rmw', threads: number, iters: number): Promise<Sample> {
  const buffer = new SharedArrayBuffer(128 + (1 + threads) * 8);
  const cells = new Int32Array(buffer, 0, 32);
  const times = new BigInt64Array(buffer, 128, 1 + threads);
  const entry = new URL('./fixtures/bare-worker.js', import.meta.url);
  const workers = Array.from({ length: threads }, (_, i) => new Worker(entry, { workerData: { buffer, thread: i + 1, threads, iters, op }, execArgv: [] }));
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
  let finish = 0n;
  for (let thread = 1; thread <= threads; thread++) if (times[thread]! > finish) finish = times[thread]!;
  const total = threads * iters;
  return { ns: Number(finish - times[0]!) / total, lostRatio: (total - cells[0]!) / total };
}

/**
 * One mode's loop through the library. Widening is off: where the plain race does not show, the default
 * (`auto`) reruns the mode with a sleep between each read and its write, and that sleep is not the loop's cost.
 */
async function raceDemo(mode: Mode, threads: number, iters: number, extra: { stats?: boolean; lockSpins?: number } = {}): Promise<Sample> {
  const report = await runRace({ threads, iters, modes: [mode], widen: 'never', ...extra });
  const result = report.results[0]!;
  const sample = { ns: (result.elapsedMs * 1e6) / result.expected, lostRatio: result.lostRatio ?? 0, widened: result.widened || report.fallback.length > 0 };
  raceDemoRuns.push({ mode, threads, iters, ...sample });
  return sample;
}

/** Every race-demo run the benchmark timed, written beside the results for whoever checks how they were run. */
const raceDemoRuns: (Sample & { mode: Mode; threads: number; iters: number })[] = [];

/** The C baseline, compiled once; null where there is no C compiler. */
function compileNative(): string | null {
  const dir = mkdtempSync(join(tmpdir(), 'race-demo-bench-'));
  const binary = join(dir, 'counter');
  const source = fileURLToPath(new URL('./native/counter.c', import.meta.url));
  const built = spawnSync('cc', ['-O2', '-pthread', '-o', binary, source], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (built.error || built.status !== 0) {
    progress(`no C baseline: ${built.error?.message ?? built.stderr.toString().trim()}`);
    return null;
  }
  return binary;
}

function native(binary: string, op: 'mutex' | 'atomic', threads: number, iters: number): Sample {
  const run = spawnSync(binary, [op, String(threads), String(iters)], { encoding: 'utf8' });
  const [ns, count] = run.stdout.trim().split(' ').map(Number);
  if (run.status !== 0 || count !== threads * iters) throw new Error(`the C baseline failed: ${run.stderr}`);
  return { ns: ns!, lostRatio: 0 };
}

function wallMs(args: readonly string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${run.status}`);
  return performance.now() - start;
}

// Every point: the baselines and every mode, alternated run by run so that a slow minute hits them all.
const binary = compileNative();
for (const iters of ITERS) {
  for (const threads of THREADS) {
    progress(`${threads} threads × ${iters}`);
    for (let run = 0; run < RUNS; run++) {
      record('bare Atomics.add', threads, iters, await bare('add', threads, iters));
      record('bare read-modify-write', threads, iters, await bare('rmw', threads, iters));
      if (binary) {
        record('C pthread_mutex', threads, iters, native(binary, 'mutex', threads, iters));
        record('C __atomic_fetch_add', threads, iters, native(binary, 'atomic', threads, iters));
      }
      for (const mode of MODES) record(mode, threads, iters, await raceDemo(mode, threads, iters));
    }
  }
}

// Does a bounded spin before sleeping help the mutex under contention? And what does counting cost?
const CONTENDED = quick ? { threads: 2, iters: 1_000 } : { threads: 4, iters: 1_000_000 };
const SPINS = quick ? [0, 64] : [0, 64, 1024];
const variants: { label: string; mode: Mode; extra: { stats?: boolean; lockSpins?: number } }[] = [
  ...SPINS.map((spins) => ({ label: `lock, spins ${spins}`, mode: 'lock' as const, extra: { lockSpins: spins } })),
  { label: 'lock, counting (--stats)', mode: 'lock', extra: { stats: true } },
  { label: 'spin', mode: 'spin', extra: {} },
  { label: 'spin, counting (--stats)', mode: 'spin', extra: { stats: true } },
];
progress('lock variants');
const variantNs = new Map<string, number[]>();
for (let run = 0; run < RUNS * 2; run++) {
  for (const variant of variants) {
    const sample = await raceDemo(variant.mode, CONTENDED.threads, CONTENDED.iters, variant.extra);
    variantNs.set(variant.label, [...(variantNs.get(variant.label) ?? []), sample.ns]);
  }
}

// Whole commands, alternated with their baselines.
progress('whole commands');
const commands = {
  run: [] as number[],
  bareRun: [] as number[],
  help: [] as number[],
  nodeE: [] as number[],
  explore: [] as number[],
};
for (let run = 0; run < COMMAND_RUNS; run++) {
  commands.run.push(wallMs([BIN, 'run', '--threads', '4', '--iters', '100000', '--mode', 'atomic']));
  commands.bareRun.push(wallMs([BARE_RUN, '4', '100000']));
  commands.help.push(wallMs([BIN, '--help']));
  commands.nodeE.push(wallMs(['-e', '']));
  commands.explore.push(wallMs([BIN, 'explore', '--threads', quick ? '2' : '4', '--iters', quick ? '2' : '6']));
}

// The report.
const med = (values: readonly number[]) => (values.length > 0 ? median(values) : NaN);
const ratio = (a: number, b: number) => (a / b).toFixed(2);
const allWhat: string[] = [...MODES, 'bare Atomics.add', 'bare read-modify-write', ...(binary ? ['C pthread_mutex', 'C __atomic_fetch_add'] : [])];
const tables = ITERS.map((iters) => {
  const rows = allWhat.map((what) => {
    const cells = THREADS.map((threads) => {
      const ns = nsOf(what, threads, iters);
      return ns.length > 0 ? minMedianMax(ns, 1) : '—';
    });
    return `| ${what} | ${cells.join(' | ')} |`;
  });
  const lost = THREADS.map((threads) => minMedianMax((samples.get(keyOf('unsafe', threads, iters)) ?? []).map((s) => s.lostRatio), 3));
  return [
    `### ${iters.toLocaleString('en-US')} increments per thread: ns per increment, median (min–max) of ${RUNS} runs`,
    '',
    `| | ${THREADS.map((t) => `${t} thread${t === 1 ? '' : 's'}`).join(' | ')} |`,
    `|---|${THREADS.map(() => '---').join('|')}|`,
    ...rows,
    `| *unsafe: share of updates lost* | ${lost.join(' | ')} |`,
  ].join('\n');
});

const focusIters = ITERS[ITERS.length - 1]!;
const focusThreads = THREADS.includes(4) ? 4 : THREADS[THREADS.length - 1]!;
const at = (what: string) => med(nsOf(what, focusThreads, focusIters));
const targets: { name: string; measured: number; target: number }[] = [
  { name: `atomic vs bare Atomics.add (${focusThreads} × ${focusIters.toLocaleString('en-US')})`, measured: at('atomic') / at('bare Atomics.add'), target: 1.1 },
  { name: 'whole `run -t 4 -n 100000 -m atomic` vs a bare script spawning the same workers', measured: med(commands.run) / med(commands.bareRun), target: 1.2 },
  { name: "`race-demo --help` vs `node -e ''`", measured: med(commands.help) / med(commands.nodeE), target: 1.3 },
  ...(binary
    ? [{ name: `lock vs C pthread_mutex (${focusThreads} × ${focusIters.toLocaleString('en-US')})`, measured: at('lock') / at('C pthread_mutex'), target: 3 }]
    : []),
];
const series: Series[] = allWhat.map((what) => ({ name: what, values: THREADS.map((threads) => med(nsOf(what, threads, focusIters))) }));
writeFileSync(chartFile, chartSvg(series, THREADS, `ns per increment, ${focusIters.toLocaleString('en-US')} increments per thread (median of ${RUNS})`));

const body = [
  `# Benchmark: what each fix costs`,
  '',
  `Machine: ${machine()}`,
  `Date: ${new Date().toISOString()}`,
  `Command: \`npm run bench${quick ? ' -- --quick' : ''}\``,
  '',
  'ns per increment = time from the start barrier opening to the last thread finishing, over threads × iterations.',
  'race-demo runs use the library (`runRace`) with its defaults (the unsafe loop records evidence) but for the widened',
  'gap, which is off (`widen: \'never\'`): unsafe is timed as its plain loop, never as the sleep of a widened rerun. The bare',
  'baselines are workers behind the same barrier running only the loop; the C baselines are',
  '`bench/native/counter.c` (`cc -O2 -pthread`). Every point alternates all of them, run by run.',
  '',
  ...tables.flatMap((table) => [table, '']),
  `## Targets (ratios of medians, measured in this run)`,
  '',
  '| target | measured | limit | met |',
  '|---|---|---|---|',
  ...targets.map((t) => `| ${t.name} | ${t.measured.toFixed(2)}× | ${t.target}× | ${t.measured <= t.target ? 'yes' : 'no'} |`),
  '',
  `## Whole commands, wall time in ms, median (min–max) of ${COMMAND_RUNS}`,
  '',
  '| command | ms |',
  '|---|---|',
  `| \`race-demo run --threads 4 --iters 100000 --mode atomic\` | ${minMedianMax(commands.run, 0)} |`,
  `| bare script spawning the same 4 workers (\`bench/fixtures/bare-run.js\`) | ${minMedianMax(commands.bareRun, 0)} |`,
  `| \`race-demo --help\` | ${minMedianMax(commands.help, 0)} |`,
  `| \`node -e ''\` | ${minMedianMax(commands.nodeE, 0)} |`,
  `| \`race-demo explore --threads ${quick ? '2 --iters 2' : '4 --iters 6'}\` (target: under 1,000 ms) | ${minMedianMax(commands.explore, 0)} |`,
  '',
  `## The mutex's spin before sleeping, and what counting costs (${CONTENDED.threads} threads × ${CONTENDED.iters.toLocaleString('en-US')}, ${RUNS * 2} runs)`,
  '',
  '| variant | ns per increment | vs lock, spins 0 |',
  '|---|---|---|',
  ...variants.map((v) => `| ${v.label} | ${minMedianMax(variantNs.get(v.label)!, 1)} | ${ratio(med(variantNs.get(v.label)!), med(variantNs.get('lock, spins 0')!))}× |`),
  '',
  `## ns per increment by mode and threads (${focusIters.toLocaleString('en-US')} per thread, median)`,
  '',
  '```',
  ...chartText(series, THREADS),
  '```',
  '',
  `SVG: \`${chartFile.endsWith('ns-per-increment.svg') ? 'bench/results/ns-per-increment.svg' : chartFile}\``,
].join('\n');
writeFileSync(resultsFile, `${body}\n`);
writeFileSync(runsFile, `${JSON.stringify(raceDemoRuns, null, 2)}\n`);
process.stdout.write(`${body}\n`);
