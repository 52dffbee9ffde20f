import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatRunReport } from '../../dist/cli/run-report.js';
import type { RunReport } from '../../dist/index.js';
import { stripColor } from '../helpers/cli.js';

const report: RunReport = {
  schemaVersion: 1,
  command: 'run',
  threads: 4,
  iters: 100000,
  barrier: true,
  cpus: 2,
  node: 'v20.20.2',
  results: [
    { mode: 'unsafe', expected: 400000, actual: 231006, lost: 168994, lostRatio: 0.4225, elapsedMs: 24.1, opsPerSec: 16597510 },
    { mode: 'atomic', expected: 400000, actual: 400000, lost: 0, lostRatio: 0, elapsedMs: 17.2, opsPerSec: 23255814 },
  ],
  expect: null,
  ok: true,
  reason: null,
};

const plain = new Chalk({ level: 0 });
const coloured = new Chalk({ level: 1 });

describe('formatRunReport', () => {
  it('shows the header, one table row per mode, a bar per mode and why', () => {
    const text = formatRunReport(report, plain);
    expect(text).toContain('race-demo run: 4 threads × 100,000 increments, released together by a start barrier, 2 CPUs, Node v20.20.2');
    expect(text).toMatch(/mode\s+expected\s+actual\s+lost\s+lost %\s+time\s+increments\/s/);
    expect(text).toMatch(/unsafe\s+400,000\s+231,006\s+168,994\s+42\.2%\s+24\.1 ms\s+16\.6 M/);
    expect(text).toMatch(/atomic\s+400,000\s+400,000\s+0\s+0\.0%\s+17\.2 ms\s+23\.3 M/);
    expect(text).toMatch(/unsafe\s+█+░+\s+57\.8% of expected/);
    expect(text).toMatch(/atomic\s+█{32}\s+100\.0% of expected/);
    expect(text).toContain('unsafe lost 168,994 updates: each increment is a read, an add and a write');
    expect(text).toContain('atomic: Atomics.add reads, adds and writes as one indivisible step');
    expect(text).not.toContain('\u001b[');
  });

  it('paints lost updates red and exact totals green, and says the same without colour', () => {
    const text = formatRunReport(report, coloured);
    expect(text).toContain(coloured.red('231,006'));
    expect(text).toContain(coloured.green('400,000'));
    expect(stripColor(text)).toBe(formatRunReport(report, plain));
  });

  it('warns that the race will rarely show on one CPU', () => {
    expect(formatRunReport({ ...report, cpus: 1 }, plain)).toContain('Only 1 CPU is available');
    expect(formatRunReport(report, plain)).not.toContain('Only 1 CPU');
  });

  it('says so when unsafe happened to lose nothing', () => {
    const lucky = { ...report, results: [{ ...report.results[0]!, actual: 400000, lost: 0, lostRatio: 0 }] };
    expect(formatRunReport(lucky, plain)).toContain('unsafe lost nothing this time, but the race is still there');
  });

  it('shows an expectation that held, and leaves a failed one to stderr', () => {
    const held = { ...report, expect: 'race' as const, ok: true, reason: 'every mode lost updates (unsafe)' };
    expect(formatRunReport(held, plain)).toContain('--expect race held: every mode lost updates (unsafe)');
    const failed = { ...report, expect: 'correct' as const, ok: false, reason: 'unsafe lost' };
    expect(formatRunReport(failed, plain)).not.toContain('--expect');
  });

  it('names the missing barrier', () => {
    expect(formatRunReport({ ...report, barrier: false }, plain)).toContain('no start barrier');
  });
});
