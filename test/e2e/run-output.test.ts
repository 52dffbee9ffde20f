import { describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';

interface JsonResult {
  mode: string;
  expected: number;
  actual: number;
  lost: number;
  lostRatio: number;
  elapsedMs: number;
  opsPerSec: number;
  threadStats: {
    thread: number;
    increments: number;
    finishMs: number;
    acquisitions: number | null;
    contended: number | null;
    sleeps: number | null;
    wakeups: number | null;
    retries: number | null;
  }[];
  fairness: { jain: number; slowestOverFastest: number };
}

describe('race-demo run (built CLI)', () => {
  it('runs every mode by default and prints the report', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '--threads', '2', '--iters', '20000']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^race-demo run: 2 threads × 20,000 increments, released together by a start barrier/);
    expect(stdout).toMatch(/\n\s+atomic\s+40,000\s+40,000\s+0\s+0\.0%/);
    expect(stdout).toMatch(/\n\s+lock\s+40,000\s+40,000\s+0\s+0\.0%/);
    expect(stdout).toMatch(/\n\s+unsafe\s+40,000\s+[\d,]+\s+[\d,]+\s+[\d.]+%/);
    expect(stdout).toContain('atomic: Atomics.add reads, adds and writes as one indivisible step');
  });

  it('prints exactly one JSON document with the documented fields', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-t', '3', '-n', '1e4', '--json']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      'schemaVersion', 'command', 'scenario', 'threads', 'iters', 'barrier', 'cpus', 'node', 'results', 'expect', 'ok', 'reason',
      'widen', 'trials', 'fallback',
    ]);
    expect(doc).toMatchObject({ schemaVersion: 1, command: 'run', threads: 3, iters: 10000, barrier: true, node: process.version, expect: null, ok: true });
    const results = doc.results as JsonResult[];
    expect(results.map((r) => r.mode)).toEqual(['unsafe', 'atomic', 'lock', 'spin', 'cas']);
    for (const r of results) {
      expect(r.expected).toBe(30000);
      expect(r.lost).toBe(r.expected - r.actual);
      expect(r.elapsedMs).toBeGreaterThan(0);
      expect(r.opsPerSec).toBeGreaterThan(0);
    }
    const [unsafe, ...fixes] = results;
    expect(unsafe!.actual).toBeGreaterThanOrEqual(1);
    expect(unsafe!.actual).toBeLessThanOrEqual(30000);
    for (const fix of fixes) expect(fix.actual).toBe(30000);
  });

  it('always has per-thread statistics and fairness in JSON, with lock counts that add up', async () => {
    const { exitCode, stdout } = await runCli(['run', '-t', '3', '-n', '2e4', '--json']);
    expect(exitCode).toBe(0);
    const results = (JSON.parse(stdout) as { results: JsonResult[] }).results;
    for (const r of results) {
      expect(r.threadStats.map((t) => t.thread)).toEqual([1, 2, 3]);
      expect(r.threadStats.map((t) => t.increments)).toEqual([20000, 20000, 20000]);
      for (const t of r.threadStats) expect(t.finishMs).toBeGreaterThan(0);
      expect(Math.max(...r.threadStats.map((t) => t.finishMs))).toBeCloseTo(r.elapsedMs, 2);
      expect(r.fairness.jain).toBeGreaterThan(1 / 3 - 1e-9);
      expect(r.fairness.jain).toBeLessThanOrEqual(1);
      expect(r.fairness.slowestOverFastest).toBeGreaterThanOrEqual(1);
      const locked = r.mode === 'lock' || r.mode === 'spin';
      for (const t of r.threadStats) {
        expect(t.retries === null).toBe(r.mode !== 'cas');
        expect(t.acquisitions === null).toBe(!locked);
        if (!locked) continue;
        // One acquisition per increment; a contended one is one that found the lock taken.
        expect(t.acquisitions).toBe(20000);
        expect(t.contended!).toBeLessThanOrEqual(t.acquisitions!);
        expect(t.wakeups!).toBeLessThanOrEqual(t.sleeps!);
        if (r.mode === 'spin') expect(t.sleeps).toBe(0);
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
    const doc = JSON.parse(stdout) as { results: JsonResult[]; ok: boolean };
    expect(doc.ok).toBe(true);
    expect(doc.results.map((r) => r.actual)).toEqual([threads * iters, threads * iters]);
  });

  it('starts without a barrier when asked', async () => {
    const { exitCode, stdout } = await runCli(['run', '--no-barrier', '-m', 'atomic', '-n', '1000', '--json']);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ barrier: false, results: [{ mode: 'atomic', actual: 4000 }] });
  });

  it('--expect correct holds for the fixes: exit 0 and says so', async () => {
    const { exitCode, stdout } = await runCli(['run', '-m', 'atomic,lock', '-n', '1000', '--expect', 'correct']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('--expect correct held: every mode ended exact (atomic, lock)');
  });

  it('--expect race fails for a fix: exit 1 with one line saying why, JSON still on stdout', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-m', 'atomic', '-n', '1000', '--expect', 'race', '--json']);
    expect(exitCode).toBe(1);
    expect(lines(stderr)).toEqual(['race-demo: --expect race did not hold: expected every mode to lose updates, but atomic lost none']);
    expect(JSON.parse(stdout)).toMatchObject({ expect: 'race', ok: false, reason: 'expected every mode to lose updates, but atomic lost none' });
  });

  it('warns that the race will rarely show when only one CPU is available', async () => {
    const { exitCode, stdout } = await runCli(['run', '-n', '1000', '-m', 'atomic'], { wrapper: ['taskset', '-c', '0'] });
    expect(exitCode).toBe(0);
    expect(stdout).toContain('1 CPU, Node');
    expect(stdout).toContain('Only 1 CPU is available');
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
