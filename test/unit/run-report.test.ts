import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatRunReport } from '../../dist/cli/run-report.js';
import type { RunReport } from '../../dist/index.js';
import { stripColor } from '../helpers/cli.js';

const report: RunReport = {
  schemaVersion: 1,
  command: 'run',
  scenario: 'counter',
  threads: 4,
  iters: 100000,
  barrier: true,
  cpus: 2,
  node: 'v20.20.2',
  results: [
    {
      mode: 'unsafe', expected: 400000, actual: 231006, lost: 168994, lostRatio: 0.4225, elapsedMs: 24.1, opsPerSec: 16597510,
      widened: false,
      evidence: { sightings: 1234, largest: { kind: 'went-back', thread: 1, wrote: 6210, found: 5904, lostAtLeast: 307 } },
      threadStats: [],
      fairness: { jain: 1, slowestOverFastest: 1 },
    },
    {
      mode: 'atomic', expected: 400000, actual: 400000, lost: 0, lostRatio: 0, elapsedMs: 17.2, opsPerSec: 23255814, widened: false, evidence: null,
      threadStats: [],
      fairness: { jain: 1, slowestOverFastest: 1 },
    },
  ],
  expect: null,
  ok: true,
  reason: null,
  widen: 'auto',
  trials: null,
  fallback: [],
};

const plain = new Chalk({ level: 0 });
/** Prose wraps at the terminal width; compare it as one line. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
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

  it('shows the lost update the threads caught, in words and as steps', () => {
    const text = formatRunReport(report, plain);
    const prose = flat(text);
    expect(prose).toContain('Caught in the act: thread 1 wrote 6,210, and its next read found 5,904.');
    expect(prose).toContain('another thread wrote 5,904 (the 5,903 it had read, plus one) over a counter of at least 6,210');
    expect(prose).toContain('at least 307 updates lost by that one write. The threads caught 1,234 late writes like it');
    expect(text).toMatch(/thread 1\s+writes 6,210\s+6,210/);
    expect(text).toMatch(/another\s+writes 5,904 \(it read 5,903\)\s+5,904\s+at least 307 updates lost/);
    expect(text).toMatch(/thread 1\s+reads 5,904\s+5,904\s+below its own last write/);
  });

  it('tells a late write seen by the widened loop', () => {
    const unsafe = report.results[0]!;
    const widened = {
      ...report,
      results: [{ ...unsafe, widened: true, evidence: { sightings: 3, largest: { kind: 'late-write' as const, thread: 2, read: 5903, found: 6210, lostAtLeast: 307 } } }],
    };
    const text = formatRunReport(widened, plain);
    expect(text).toContain('unsafe (gap widened)');
    expect(flat(text)).toContain('thread 2 read 5,903, and just before it wrote 5,904 the counter already stood at 6,210');
    expect(text).toMatch(/others\s+raise it to 6,210/);
  });

  it('summarises trials with the Wilson interval, the spread of losses and a histogram of totals', () => {
    const finals = [231006, 250000, 300000, 400000];
    const withTrials = {
      ...report,
      trials: {
        requested: 4,
        untilRace: false,
        modes: [
          {
            mode: 'unsafe' as const, run: 4, raced: 3, rate: 0.75, wilson95: { low: 0.3006, high: 0.9544 },
            lost: { min: 0, median: 125000, max: 168994 }, elapsedMs: { min: 20, median: 24.1, max: 30 },
            firstRace: 1, widened: false, finals,
          },
          {
            mode: 'atomic' as const, run: 4, raced: 0, rate: 0, wilson95: { low: 0, high: 0.4899 },
            lost: { min: 0, median: 0, max: 0 }, elapsedMs: { min: 15, median: 17.2, max: 19 },
            firstRace: null, widened: false, finals: [400000, 400000, 400000, 400000],
          },
        ],
      },
    };
    const text = formatRunReport(withTrials, plain);
    expect(text).toContain('4 trials per mode');
    expect(text).toMatch(/unsafe\s+4\s+3 of 4\s+75% \(30\.1%–95\.4%\)\s+0 \/ 125,000 \/ 168,994\s+trial 1\s+24\.1 ms/);
    expect(text).toMatch(/atomic\s+4\s+0 of 4\s+0% \(0%–49\.0%\)\s+0 \/ 0 \/ 0\s+—\s+17\.2 ms/);
    expect(text).toContain('unsafe: final totals of 4 trials (expected 400,000)');
    expect(text).toContain('atomic: all 4 trials ended exact at 400,000');
    const bars = text.split('\n').filter((line) => /^\s+[\d,–]+\s+█*\s\d+$/.test(line));
    expect(bars.map((line) => Number(line.trim().split(' ').at(-1)))).toEqual([2, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('says when the plain race did not show and the gap was widened', () => {
    const text = formatRunReport({ ...report, fallback: [{ mode: 'unsafe', plainTrials: 20 }] }, plain);
    expect(flat(text)).toContain('The plain unsafe race did not show in 20 trials, so unsafe ran again with the gap between each read and its write widened');
  });
});
