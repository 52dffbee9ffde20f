import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replay, runRace } from '../../dist/index.js';

// Tests written as plain code and litmus files on real worker threads: what is guaranteed. Fixes are
// exact; no round ends where x86-TSO says none can (real x86 stores wait in order, in a buffer per CPU);
// a replay's steps are the model's, on the lines of the file.

const example = (name: string) => fileURLToPath(new URL(`../../docs/examples/${name}`, import.meta.url));
const LITMUS = fileURLToPath(new URL('../../docs/examples/litmus/', import.meta.url));
const COUNTER = example('counter.mjs');

describe('litmus tests on real threads', () => {
  it.each(readdirSync(LITMUS).filter((name) => name.endsWith('.litmus')))('%s: no round ends where x86-TSO forbids, and both models stand beside what the threads left', async (name) => {
    const threads = /IRIW/.test(name) ? 4 : /WRC/.test(name) ? 3 : 2;
    const report = await runRace({ scenario: `${LITMUS}${name}`, iters: threads > 2 ? 5_000 : 20_000 });
    const result = report.results[0]!;
    expect(result.models!.map((m) => m.model)).toEqual(['sc', 'tso']);
    const tso = result.models!.find((m) => m.model === 'tso')!.reachable!;
    const key = (values: object) => JSON.stringify(values);
    for (const end of result.ends!) expect(tso.map(key)).toContain(key(end.values));
    expect(report.ok).toBe(true);
    expect(result.ends!.reduce((sum, end) => sum + end.rounds, 0)).toBe(result.iters);
  });
});

describe('a round on real threads', () => {
  it('is counted once in the rate, as every thread takes it at once; and a rare end keeps its interval', async () => {
    const report = await runRace({ scenario: example('store-buffering.mjs'), iters: 20_000, modes: ['unsafe'] });
    const result = report.results[0]!;
    const roundsPerSecond = result.iters / (result.elapsedMs / 1000);
    // elapsedMs is rounded to the microsecond.
    expect(Math.abs(result.opsPerSec - roundsPerSecond) / roundsPerSecond).toBeLessThan(0.01);
    for (const end of result.ends!) {
      expect(end.wilson95.low).toBeLessThanOrEqual(end.rounds / result.iters);
      expect(end.wilson95.high).toBeGreaterThanOrEqual(end.rounds / result.iters);
      // Wilson's interval is above 0 for an end that was seen, however rarely.
      expect(end.wilson95.low).toBeGreaterThan(0);
    }
  });

  it("gives an end every round left an interval below 1: 20,000 rounds cannot tell it from 999,808 per million", async () => {
    const report = await runRace({ scenario: example('add-twice.mjs'), iters: 20_000, modes: ['atomic'] });
    const [end] = report.results[0]!.ends!;
    expect(end).toMatchObject({ values: { x: 2 }, rounds: 20_000, perMillion: 1_000_000 });
    expect(end!.wilson95.high).toBe(1);
    expect(end!.wilson95.low).toBeCloseTo(0.999808, 6);
  });
});

describe('the counter as a plain file, on real threads', () => {
  it.each(['atomic', 'lock', 'cas'])('%s is exact', async (mode) => {
    const report = await runRace({ scenario: COUNTER, threads: 4, iters: 20_000, modes: [mode] });
    expect(report.results[0]).toMatchObject({ expected: 80_000, actual: 80_000, lost: 0, ok: true });
  });

  it('unsafe loses updates once the gap between its read and its write is widened', async () => {
    const report = await runRace({ scenario: COUNTER, threads: 2, iters: 200, modes: ['unsafe'], widen: 'always', trials: 20, untilRace: true });
    expect(report.results[0]!.ok).toBe(false);
    expect(report.results[0]!.lost).toBeGreaterThan(0);
  });
});

describe('a replay of a file on real threads', () => {
  it("steps a litmus test's instructions, on the file's lines", async () => {
    const report = await replay({ scenario: `${LITMUS}SB.litmus`, schedule: [1, 2, 1, 2] });
    expect(report.steps.map((step) => [step.thread, step.action, step.value, step.line])).toEqual([
      [1, 'write x', 1, 5],
      [2, 'write y', 1, 5],
      [1, 'read y', 1, 6],
      [2, 'read x', 1, 6],
    ]);
    expect(report.summary[0]).toBe('The round ended with 0:EAX=1 1:EAX=1: allowed (any other end).');
  });

  it("steps a plain test's accesses, on the lines of its functions", async () => {
    const report = await replay({ scenario: example('store-buffering.mjs'), schedule: [1, 1, 2, 2] });
    expect(report.steps.map((step) => [step.thread, step.action, step.value, step.line])).toEqual([
      [1, 'write x', 1, 8],
      [1, 'read y', 0, 8],
      [2, 'write y', 1, 9],
      [2, 'read x', 1, 9],
    ]);
    expect(report.ends![0]!.values).toEqual({ r1: 0, r2: 1 });
  });

  it('steps a lock as a thread that waits, and the counter ends where the model says', async () => {
    const report = await replay({ scenario: COUNTER, mode: 'lock', schedule: [1, 1, 2, 1, 1, 2, 2, 2, 2] });
    expect(report.steps.map((step) => step.action)).toEqual(['lock', 'read c', 'blocked', 'write c', 'unlock', 'lock', 'read c', 'write c', 'unlock']);
    expect(report.actual).toBe(2);
  });
});
