import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';
import { VIOLATIONS } from '../fixtures/lock-cells.js';
import { exited, startFixture } from '../helpers/workers.js';

// These tests need the CPUs to themselves: a busy CPU lets one loop finish inside its time slice
// before the others start, and the race stops showing. They run alone, after every other file.
const cpus = availableParallelism();
const oneCpu = cpus < 2;
const why = oneCpu ? ` (skipped: only ${cpus} CPU available, so the threads take turns and the race rarely shows)` : '';

describe('with enough work and two CPUs, the race shows', () => {
  it.skipIf(oneCpu)(`unsafe loses updates at 4 threads × 1,000,000${why}`, async () => {
    const { exitCode, stdout } = await runCli(['run', '-m', 'unsafe', '-t', '4', '-n', '1e6', '--json']);
    expect(exitCode).toBe(0);
    const [unsafe] = (JSON.parse(stdout) as { results: { actual: number; lost: number }[] }).results;
    expect(unsafe!.actual).toBeGreaterThanOrEqual(1);
    expect(unsafe!.lost).toBeGreaterThan(0);
  });

  it.skipIf(oneCpu)(`--mode unsafe --expect correct exits 1 and shows the failure${why}`, async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-m', 'unsafe', '-t', '4', '-n', '1e6', '--expect', 'correct', '--json']);
    expect(exitCode).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ expect: 'correct', ok: false });
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^race-demo: --expect correct did not hold: expected every mode exact, but unsafe lost [\d,]+ of 4,000,000 updates/);
  });

  it.skipIf(oneCpu)(`the lock tests' check does catch two threads in the critical section when there is no lock${why}`, async () => {
    // Without this, a check that could never fire would make the lock tests prove nothing.
    const buffer = new SharedArrayBuffer(64);
    const cells = new Int32Array(buffer);
    const workers = Array.from({ length: 4 }, (_, i) => startFixture('mutex-worker.js', { buffer, thread: i + 1, rounds: 200_000, lock: 'none' }));
    expect(await Promise.all(workers.map(exited))).toEqual([0, 0, 0, 0]);
    expect(cells[VIOLATIONS]).toBeGreaterThan(0);
  });

  it.skipIf(oneCpu)(`run --scenario list loses items at 4 threads × 100,000 and names them, with whose item took their slot${why}`, async () => {
    const { exitCode, stdout } = await runCli(['run', '--scenario', 'list', '-m', 'unsafe', '-t', '4', '-n', '1e5', '--no-color']);
    expect(exitCode).toBe(0);
    const text = stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/unsafe: [\d,]+ of 400,000 items are missing: item \d+\.\d+ \(written to slot [\d,]+, (which now holds item \d+\.\d+|past the final length [\d,]+)\)/);
  });

  it.skipIf(oneCpu)(`run --scenario withdraw overdraws at 4 threads × 100,000${why}`, async () => {
    const { exitCode, stdout } = await runCli(['run', '--scenario', 'withdraw', '-m', 'unsafe', '-t', '4', '-n', '1e5', '--json']);
    expect(exitCode).toBe(0);
    const [unsafe] = (JSON.parse(stdout) as { results: { overdrawn: number; ok: boolean }[] }).results;
    expect(unsafe!.overdrawn).toBeGreaterThan(0);
    expect(unsafe!.ok).toBe(false);
  });
});
