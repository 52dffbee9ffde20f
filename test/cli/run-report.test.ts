import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatRunReport } from '../../dist/cli/reports/run.js';
import { counter, list, withdraw, type ModeResult, type RunReport } from '../../dist/index.js';
import { stripColor } from '../helpers/cli.js';

const size = { threads: 4, iters: 100_000 };
const stats = { threadStats: [], fairness: { jain: 1, slowestOverFastest: 1 } };

const report: RunReport = {
  schemaVersion: 2,
  command: 'run',
  scenario: 'counter',
  operation: 'increment',
  measure: 'the counter',
  threads: 4,
  iters: 100000,
  barrier: true,
  cpus: 2,
  node: 'v20.20.2',
  results: [
    {
      mode: 'unsafe', expected: 400000, actual: 231006, lost: 168994, lostRatio: 0.4225, ok: false, iters: 100000, elapsedMs: 24.1, opsPerSec: 16597510,
      widened: false,
      deadlock: null,
      evidence: { sightings: 1234, largest: counter.describeSighting!(1, 1, 6210, 5904, size) },
      ...stats,
      summary: ['The counter reached 231,006 of 400,000: 168,994 increments lost.'],
    },
    {
      mode: 'atomic', expected: 400000, actual: 400000, lost: 0, lostRatio: 0, ok: true, iters: 100000, elapsedMs: 17.2, opsPerSec: 23255814, widened: false, evidence: null, deadlock: null,
      ...stats,
      summary: ['The counter reached 400,000: exact.'],
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
const coloured = new Chalk({ level: 1 });
const view = { stats: false, explain: true, width: 96 };
/** Prose wraps at the width; compare it as one line. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const format = (r: RunReport, chalk = plain) => formatRunReport(r, counter, chalk, view);

describe('formatRunReport', () => {
  it('shows the header, one table row per mode, a bar per mode and why', () => {
    const text = format(report);
    expect(text).toContain('race-demo run counter: 4 threads × 100,000 increments, released together, 2 CPUs, Node v20.20.2');
    expect(text).toMatch(/mode\s+expected\s+actual\s+lost\s+lost %\s+invariant\s+time\s+increments\/s/);
    expect(text).toMatch(/unsafe\s+400,000\s+231,006\s+168,994\s+42\.3%\s+broken\s+24\.1 ms\s+16\.6 M/);
    expect(text).toMatch(/atomic\s+400,000\s+400,000\s+0\s+0\.0%\s+held\s+17\.2 ms\s+23\.3 M/);
    expect(text).toMatch(/unsafe\s+█+░+\s+57\.8% of expected/);
    expect(text).toMatch(/atomic\s+█{32}\s+100\.0% of expected/);
    expect(flat(text)).toContain('unsafe: The counter reached 231,006 of 400,000: 168,994 increments lost.');
    expect(flat(text)).toContain('unsafe broke the invariant: each increment is a read, an add and a write');
    expect(flat(text)).toContain('atomic: Atomics.add reads, adds and writes as one indivisible step');
    expect(text).not.toContain('\u001b[');
  });

  it('paints a broken invariant red and one that held green, and says the same without colour', () => {
    const text = format(report, coloured);
    expect(text).toContain(coloured.red('231,006'));
    expect(text).toContain(coloured.green('400,000'));
    expect(stripColor(text)).toBe(format(report));
  });

  it('warns that the race will rarely show on one CPU', () => {
    expect(format({ ...report, cpus: 1 })).toContain('Only 1 CPU is available');
    expect(format(report)).not.toContain('Only 1 CPU');
  });

  it('says so when the racy mode happened to keep the invariant', () => {
    const lucky = { ...report, results: [{ ...report.results[0]!, actual: 400000, lost: 0, lostRatio: 0, ok: true }] };
    expect(flat(format(lucky))).toContain('unsafe kept the invariant this time, but the race is still there');
  });

  it('shows an expectation that held, and leaves a failed one to stderr', () => {
    const held = { ...report, expect: 'race' as const, ok: true, reason: 'every mode broke the invariant (unsafe)' };
    expect(format(held)).toContain('--expect race held: every mode broke the invariant (unsafe)');
    const failed = { ...report, expect: 'correct' as const, ok: false, reason: 'unsafe broke it' };
    expect(format(failed)).not.toContain('--expect');
  });

  it('names the missing barrier', () => {
    expect(format({ ...report, barrier: false })).toContain('no start barrier');
  });

  it('shows the race the threads caught, in the scenario words and as steps', () => {
    const text = format(report);
    const prose = flat(text);
    expect(prose).toContain('Caught in the act: thread 1 wrote 6,210, and its next read found 5,904.');
    expect(prose).toContain('another thread wrote 5,904 (the 5,903 it had read, plus one) over a counter of at least 6,210');
    expect(prose).toContain('The threads caught it 1,234 times in this run.');
    expect(text).toMatch(/thread 1\s+writes 6,210\s+6,210/);
    expect(text).toMatch(/another\s+writes 5,904 \(it read 5,903\)\s+5,904\s+at least 307 updates lost/);
    expect(text).toMatch(/thread 1\s+reads 5,904\s+5,904\s+below its own last write/);
  });

  it('tells a late write seen by the widened loop', () => {
    const widened = { ...report, results: [{ ...report.results[0]!, widened: true, evidence: { sightings: 3, largest: counter.describeSighting!(2, 2, 5903, 6210, size) } }] };
    const text = format(widened);
    expect(text).toContain('unsafe (gap widened)');
    expect(flat(text)).toContain('thread 2 read 5,903, and just before it wrote 5,904 the counter already stood at 6,210');
    expect(text).toMatch(/others\s+raise it to 6,210/);
  });

  it("explains a broken run with no sighting in the scenario's words: threads in step write the same values", () => {
    const unseen = { ...report, results: [{ ...report.results[0]!, evidence: { sightings: 0, largest: null } }] };
    expect(flat(format(unseen))).toContain(
      'No thread happened to catch the race in the act this time: threads that run in step read the same value and write the same value over each other',
    );
  });

  it('summarises trials with the Wilson interval, the spread of actual values and a histogram of them', () => {
    const finals = [231006, 250000, 300000, 400000];
    const withTrials: RunReport = {
      ...report,
      trials: {
        requested: 4,
        untilRace: false,
        modes: [
          {
            mode: 'unsafe', run: 4, raced: 3, rate: 0.75, wilson95: { low: 0.3006, high: 0.9544 },
            lost: { min: 0, median: 125000, max: 168994 }, actual: { min: 231006, median: 275000, max: 400000 }, elapsedMs: { min: 20, median: 24.1, max: 30 },
            firstRace: 1, widened: false, finals,
          },
          {
            mode: 'atomic', run: 4, raced: 0, rate: 0, wilson95: { low: 0, high: 0.4899 },
            lost: { min: 0, median: 0, max: 0 }, actual: { min: 400000, median: 400000, max: 400000 }, elapsedMs: { min: 15, median: 17.2, max: 19 },
            firstRace: null, widened: false, finals: [400000, 400000, 400000, 400000],
          },
        ],
      },
    };
    const text = format(withTrials);
    expect(text).toContain('4 trials per mode');
    expect(text).toMatch(/unsafe\s+3 of 4 trials\s+75% \(30\.1%–95\.4%\)\s+231,006 \/ 275,000 \/ 400,000\s+24\.1 ms/);
    expect(text).toMatch(/atomic\s+0 of 4 trials\s+0% \(0%–49\.0%\)\s+400,000 \/ 400,000 \/ 400,000\s+17\.2 ms/);
    expect(text).toContain('unsafe: actual in each of 4 trials (expected 400,000)');
    expect(text).toContain('atomic: all 4 trials kept the invariant, ending at 400,000');
    const bars = text.split('\n').filter((line) => /^\s+[\d,–]+\s+█*\s\d+$/.test(line));
    expect(bars.map((line) => Number(line.trim().split(' ').at(-1)))).toEqual([2, 0, 0, 1, 0, 0, 0, 1]);
  });

  it('says when the plain race did not show and the gap was widened', () => {
    const plain = { ...report.results[0]!, actual: 400000, lost: 0, lostRatio: 0, ok: true, elapsedMs: 5 };
    const widened = { ...report.results[0]!, widened: true, iters: 200, expected: 800, actual: 400, lost: 400, lostRatio: 0.5 };
    const plainSummary = { mode: 'unsafe', run: 20, raced: 0, rate: 0, wilson95: { low: 0, high: 0.16 }, lost: { min: 0, median: 0, max: 0 }, actual: { min: 400000, median: 400000, max: 400000 }, elapsedMs: { min: 5, median: 5, max: 5 }, firstRace: null, widened: false, finals: [] };
    const text = format({ ...report, results: [widened], fallback: [{ mode: 'unsafe', plain, plainSummary }] });
    expect(flat(text)).toContain('The plain unsafe race did not show in 20 trials, so unsafe ran again with the gap between each read and the write computed from it widened by a short sleep, 200 increments per thread');
    expect(text).toMatch(/\n\s+unsafe\s+400,000\s+400,000\s+0\s+0\.0%\s+held/);
    expect(text).toMatch(/\n\s+unsafe \(gap widened\)\s+800\s+400\s+400\s+50\.0%\s+broken/);
  });
});

describe('formatRunReport, other scenarios', () => {
  const result = (overrides: Partial<ModeResult>): ModeResult => ({
    mode: 'unsafe', expected: 20, actual: 30, lost: null, lostRatio: null, ok: false, iters: 2, elapsedMs: 1, opsPerSec: 1000, widened: false, evidence: null, deadlock: null, ...stats, summary: [], ...overrides,
  });

  it('withdraw: no lost column where the scenario counts no losses, its own sentences, its sighting', () => {
    const text = formatRunReport(
      {
        ...report, scenario: 'withdraw', operation: 'withdrawal', measure: 'paid out', threads: 2, iters: 2,
        results: [result({ summary: ['Paid out 30 from a balance of 20: overdrawn by 10.'], evidence: { sightings: 1, largest: withdraw.describeSighting!(2, 1, 10, 0, { threads: 2, iters: 2 }) } })],
      },
      withdraw, plain, view,
    );
    expect(text).toContain('race-demo run withdraw: 2 threads × 2 withdrawals');
    expect(text).toMatch(/mode\s+expected\s+actual\s+invariant\s+time\s+withdrawals\/s/);
    expect(text).not.toMatch(/lost %/);
    expect(flat(text)).toContain('unsafe: Paid out 30 from a balance of 20: overdrawn by 10.');
    expect(flat(text)).toContain('Caught in the act: thread 2 checked a balance of 10 (enough), and when it debited 10 the balance was 0');
  });

  it('list: the appends, and an overwritten slot caught in the act', () => {
    const text = formatRunReport(
      { ...report, scenario: 'list', operation: 'append', measure: 'items in the list', results: [result({ expected: 8, actual: 7, lost: 1, lostRatio: 0.125, evidence: { sightings: 1, largest: list.describeSighting!(3, 1, 5, 2, { threads: 2, iters: 4 }) } })] },
      list, plain, view,
    );
    expect(text).toMatch(/appends\/s/);
    expect(flat(text)).toContain('thread 3 read a length of 5 and wrote its item into slot 5, which already held item t1#2');
  });
});
