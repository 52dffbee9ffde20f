import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, lines, runCli } from '../helpers/cli.js';

interface JsonResult {
  mode: string;
  expected: number;
  actual: number;
  lost: number | null;
  ok: boolean;
  elapsedMs: number;
  opsPerSec: number;
  widened: boolean;
  evidence: { sightings: number; largest: { cost: number; text: string } | null } | null;
  threadStats: { thread: number; operations: number; finishMs: number; acquisitions: number | null; contended: number | null; sleeps: number | null; wakeups: number | null; retries: number | null }[];
  fairness: { jain: number; slowestOverFastest: number | null };
  [field: string]: unknown;
}

interface JsonReport {
  scenario: string;
  results: JsonResult[];
  ok: boolean;
  reason: string | null;
  trials: { requested: number; untilRace: boolean; modes: { mode: string; run: number; raced: number; firstRace: number | null }[] } | null;
  [field: string]: unknown;
}

describe('race-demo run (built CLI)', () => {
  it('runs every mode by default and prints the report', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '--threads', '2', '--iters', '20000', '--explain']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^race-demo run counter: 2 threads × 20,000 increments, released together/);
    expect(stdout).toMatch(/\n\s+atomic\s+40,000\s+40,000\s+0\s+0\.0%\s+held/);
    expect(stdout).toMatch(/\n\s+lock\s+40,000\s+40,000\s+0\s+0\.0%\s+held/);
    expect(stdout).toMatch(/\n\s+unsafe\s+40,000\s+[\d,]+\s+[\d,]+\s+[\d.]+%\s+(held|broken)/);
    expect(stdout.replace(/\s+/g, ' ')).toContain('atomic: Atomics.add reads, adds and writes as one indivisible step');
  });

  it('one thread has nothing to race with: it says so, and does not widen the gap or suggest more work', async () => {
    const human = await runCli(['run', '-t', '1', '-n', '2000', '-m', 'unsafe']);
    expect(human.exitCode).toBe(0);
    const text = human.stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/^race-demo run counter: 1 thread × 2,000 increments,/);
    expect(text).toContain('unsafe kept it: with one thread nothing can race; a race needs two threads or more (--threads 2).');
    expect(text).not.toContain('the race is still there');
    expect(text).not.toContain('widened');
    const doc = JSON.parse((await runCli(['run', '-t', '1', '-n', '2000', '-m', 'unsafe', '--json'])).stdout) as JsonReport;
    expect(doc.fallback).toEqual([]);
    expect(doc.results[0]).toMatchObject({ mode: 'unsafe', iters: 2000, widened: false, ok: true, actual: 2000 });
  });

  it('prints exactly one JSON document, common fields first, and figures that add up', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-t', '3', '-n', '1e4', '--json']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    const doc = JSON.parse(stdout) as JsonReport;
    expect(Object.keys(doc)).toEqual([
      'schemaVersion', 'command', 'scenario', 'operation', 'measure', 'threads', 'iters', 'barrier', 'cpus', 'node', 'results', 'expect', 'ok', 'reason', 'widen', 'trials', 'fallback',
    ]);
    expect(doc).toMatchObject({ schemaVersion: 2, command: 'run', scenario: 'counter', threads: 3, iters: 10000, barrier: true, node: process.version, expect: null, ok: true });
    expect(doc.results.map((r) => r.mode)).toEqual(['unsafe', 'atomic', 'lock', 'spin', 'cas']);
    for (const r of doc.results) {
      // A race that did not show runs again widened, with fewer operations: each result says how many.
      expect(r.expected).toBe(3 * (r.iters as number));
      expect(r.lost).toBe(r.expected - r.actual);
      expect(r.ok).toBe(r.lost === 0);
      expect(r.elapsedMs).toBeGreaterThan(0);
    }
    for (const fix of doc.results.slice(1)) expect(fix).toMatchObject({ actual: 30000, ok: true, evidence: null });
  });

  it('always has per-thread statistics and fairness in JSON, with lock counts that add up', async () => {
    const { exitCode, stdout } = await runCli(['run', '-t', '3', '-n', '2e4', '--json']);
    expect(exitCode).toBe(0);
    for (const r of (JSON.parse(stdout) as JsonReport).results) {
      const iters = r.iters as number;
      expect(r.threadStats.map((t) => [t.thread, t.operations])).toEqual([[1, iters], [2, iters], [3, iters]]);
      expect(Math.max(...r.threadStats.map((t) => t.finishMs))).toBeCloseTo(r.elapsedMs, 2);
      expect(r.fairness.jain).toBeGreaterThan(1 / 3 - 1e-9);
      expect(r.fairness.jain).toBeLessThanOrEqual(1);
      const locked = r.mode === 'lock' || r.mode === 'spin';
      for (const t of r.threadStats) {
        expect(t.retries === null).toBe(r.mode !== 'cas');
        expect(t.acquisitions === null).toBe(!locked);
        if (!locked) continue;
        expect(t.acquisitions).toBe(iters);
        expect(t.contended!).toBeLessThanOrEqual(t.acquisitions!);
        expect(t.sleeps === null).toBe(r.mode === 'spin');
        if (r.mode === 'lock') expect(t.wakeups!).toBeLessThanOrEqual(t.sleeps!);
      }
    }
  });

  it.each([
    [1, 100_000],
    [4, 100_000],
    [16, 10_000],
    [32, 1_000],
  ])('atomic and lock are exact with %i threads × %i', async (threads, iters) => {
    const { exitCode, stdout } = await runCli(['run', '-t', String(threads), '-n', String(iters), '-m', 'atomic,lock', '--json', '--expect', 'correct']);
    expect(exitCode).toBe(0);
    expect((JSON.parse(stdout) as JsonReport).results.map((r) => r.actual)).toEqual([threads * iters, threads * iters]);
  });

  it('starts without a barrier when asked', async () => {
    const { exitCode, stdout } = await runCli(['run', '--no-barrier', '-m', 'atomic', '-n', '1000', '--json']);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ barrier: false, results: [{ mode: 'atomic', actual: 4000 }] });
  });

  it('--expect correct holds for the fixes: exit 0 and says so', async () => {
    const { exitCode, stdout } = await runCli(['run', '-m', 'atomic,lock', '-n', '1000', '--expect', 'correct']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('--expect correct held: every mode kept the invariant (atomic, lock)');
  });

  it('--expect race fails for a fix: exit 1 with one line saying why, JSON still on stdout', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-m', 'atomic', '-n', '1000', '--expect', 'race', '--json']);
    expect(exitCode).toBe(1);
    expect(lines(stderr)).toEqual([
      'race-demo: --expect race did not hold: expected every mode to break the invariant, but atomic kept it',
      'race-demo: to reproduce: race-demo run -m atomic -n 1000 --expect race --json',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ expect: 'race', ok: false });
  });

  it('warns that the race will rarely show when only one CPU is available', async () => {
    const { exitCode, stdout } = await runCli(['run', '-n', '1000', '-m', 'atomic'], { wrapper: ['taskset', '-c', '0'] });
    expect(exitCode).toBe(0);
    expect(stdout).toContain('1 CPU, Node');
    expect(stdout).toContain('Only 1 CPU is available');
  });
});

describe('race-demo run --scenario (built CLI): every option works for every scenario', () => {
  it.each(['list', 'withdraw'])('%s: trials until the race shows, in one JSON shape with its own fields', async (scenario) => {
    const { exitCode, stdout } = await runCli(['run', '--scenario', scenario, '--mode', 'unsafe', '--trials', '20', '--until-race', '--widen', 'always', '-t', '2', '-n', '50', '--json']);
    expect(exitCode).toBe(0);
    const doc = JSON.parse(stdout) as JsonReport;
    expect(doc).toMatchObject({ scenario, trials: { requested: 20, untilRace: true } });
    const [summary] = doc.trials!.modes;
    expect(summary!.raced).toBe(1);
    expect(summary!.run).toBe(summary!.firstRace);
    expect(doc.results[0]).toMatchObject({ mode: 'unsafe', ok: false, widened: true });
  });

  it('withdraw --stats shows per-thread withdrawals and lock counts', async () => {
    const { exitCode, stdout } = await runCli(['run', '--scenario', 'withdraw', '--stats', '-t', '2', '-n', '1000', '--no-color']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/lock, per thread:\n\s+thread\s+withdrawals\s+finished at\s+acquisitions\s+contended\s+spins\s+sleeps\s+wake-ups/);
    expect(stdout).toMatch(/cas, per thread:\n\s+thread\s+withdrawals\s+finished at\s+retries/);
  });

  it('list: the fixes keep every item on real threads, and the report names what is missing', async () => {
    // Twenty trials at most: one small trial can miss the race on a busy machine (a thread sleeps through it).
    const { exitCode, stdout } = await runCli(['run', '--scenario', 'list', '-t', '2', '-n', '40', '--widen', 'always', '--trials', '20', '--until-race', '--no-color']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/atomic \(gap widened\)\s+80\s+80\s+0\s+0\.0%\s+held/);
    expect(stdout).toMatch(/lock \(gap widened\)\s+80\s+80\s+0\s+0\.0%\s+held/);
    expect(stdout.replace(/\s+/g, ' ')).toMatch(/unsafe: \d+ of 80 items are missing: item t\d#\d+ \(written to slot \d+/);
  });

  it('withdraw: the fixes pay out exactly the balance; the race pays out more, in money terms', async () => {
    const { exitCode, stdout } = await runCli(['run', '--scenario', 'withdraw', '-t', '2', '-n', '40', '--widen', 'always', '--trials', '20', '--until-race', '--json']);
    expect(exitCode).toBe(0);
    const [unsafe, ...fixes] = (JSON.parse(stdout) as JsonReport).results;
    for (const fix of fixes) expect(fix).toMatchObject({ expected: 410, actual: 410, ok: true, overdrawn: 0, balance: 0 });
    expect(unsafe).toMatchObject({ mode: 'unsafe', expected: 410, lost: null, ok: false });
    expect(unsafe!.actual).toBeGreaterThan(410);
  });

  it('--no-evidence leaves the race unrecorded in every scenario', async () => {
    for (const scenario of ['counter', 'list', 'withdraw']) {
      const { stdout } = await runCli(['run', '--scenario', scenario, '-m', 'unsafe', '-t', '2', '-n', '100', '--no-evidence', '--json']);
      expect((JSON.parse(stdout) as JsonReport).results[0]!.evidence).toBeNull();
    }
  });
});

describe('race-demo run --trials (built CLI)', () => {
  it('runs trials on fresh workers when asked, with the fixes exact in every one', async () => {
    const { exitCode, stdout } = await runCli(['run', '-m', 'atomic,lock', '-t', '2', '-n', '1000', '--trials', '3', '--fresh-workers', '--expect', 'correct', '--json']);
    expect(exitCode).toBe(0);
    expect((JSON.parse(stdout) as JsonReport).trials!.modes.map((m) => [m.run, m.raced])).toEqual([[3, 0], [3, 0]]);
  });

  it('adds a trials section to the JSON', async () => {
    const { exitCode, stdout } = await runCli(['run', '-m', 'atomic', '-t', '2', '-n', '1000', '--trials', '3', '--json']);
    expect(exitCode).toBe(0);
    const doc = JSON.parse(stdout) as JsonReport;
    expect(doc.trials).toMatchObject({ requested: 3, untilRace: false, modes: [{ mode: 'atomic', run: 3, raced: 0 }] });
  });

  it('prints the trials table, with no progress line outside a terminal', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-m', 'lock', '-t', '2', '-n', '1000', '--trials', '3', '--no-color']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/lock\s+0 of 3 trials/);
    expect(stdout).toContain('lock: all 3 trials kept the invariant, ending at 2,000');
    expect(stderr).toBe('');
  });

  it('expecting a race where none can happen (one thread) says why, widens nothing, and exits 1', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-m', 'unsafe', '-t', '1', '-n', '10', '--expect', 'race', '--no-color']);
    expect(exitCode).toBe(1);
    expect(stdout).not.toContain('widened');
    expect(lines(stderr)).toEqual([
      'race-demo: --expect race did not hold: expected every mode to break the invariant, but unsafe kept it (with one thread nothing can race: a race needs two threads or more)',
      'race-demo: to reproduce: race-demo run -m unsafe -t 1 -n 10 --expect race --no-color',
    ]);
  });

  it.skipIf(spawnSync('script', ['--version']).status !== 0)('shows the progress line in a terminal (under script(1)), for a scenario too', () => {
    const command = `"${process.execPath}" "${BIN}" run --scenario withdraw -m lock -t 2 -n 100 --trials 3 --json`;
    const { status, stdout } = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, RACE_DEMO_DEBUG: '' } });
    expect(status).toBe(0);
    expect(stdout).toContain('lock: trial 3 of 3, the race showed in 0');
  });
});

describe('colour', () => {
  const ESC = '\u001b[';

  it('is off in a pipe, on with FORCE_COLOR, off again with --no-color or FORCE_COLOR=0', async () => {
    const args = ['run', '-m', 'atomic', '-n', '100'];
    expect((await runCli(args, { raw: true })).stdout).not.toContain(ESC);
    expect((await runCli(args, { raw: true, env: { FORCE_COLOR: '1' } })).stdout).toContain(ESC);
    expect((await runCli([...args, '--no-color'], { raw: true, env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await runCli(args, { raw: true, env: { FORCE_COLOR: '0' } })).stdout).not.toContain(ESC);
  });

  it('never colours JSON', async () => {
    const { stdout } = await runCli(['run', '-m', 'atomic', '-n', '100', '--json'], { raw: true, env: { FORCE_COLOR: '3' } });
    expect(stdout).not.toContain(ESC);
  });
});

describe('a failure CI can ask for', () => {
  it.each([
    ['counter', '1,2,1,2'],
    ['list', '1,1,2,1,2,2'],
    ['withdraw', '1,2,1,2'],
    ['deadlock', '1,2'],
  ])('%s: --expect correct fails on the race once its gap is widened: exit 1, why, and how to reproduce it step by step', async (scenario, schedule) => {
    // --expect correct stops at the first trial that breaks the invariant: twenty at most, for a busy machine.
    const args = ['run', '--scenario', scenario, '-m', 'unsafe', '-t', '2', '-n', '50', '--widen', 'always', '--trials', '20', '--expect', 'correct', '--json'];
    const { exitCode, stderr } = await runCli(args);
    expect(exitCode).toBe(1);
    const [why, reproduce, ...rest] = lines(stderr);
    expect(why).toMatch(/^race-demo: --expect correct did not hold: expected every mode to keep the invariant, but unsafe \(gap widened\) broke it in 1 of \d+ trials \(the worst: /);
    const prefix = scenario === 'counter' ? '' : ` --scenario ${scenario}`;
    expect(reproduce).toBe(`race-demo: to reproduce: race-demo ${args.join(' ')}; step by step: race-demo replay${prefix} --mode unsafe --threads 2 --iters 1 --schedule ${schedule}`);
    expect(rest).toEqual([]);
  });
});
