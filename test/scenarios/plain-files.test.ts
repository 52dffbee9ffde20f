import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exploreInterleavings, type ExploreReport } from '../../dist/index.js';

// The counter and store buffering, shipped also as plain files (docs/examples): on the model they count
// exactly what the built-in scenarios count, end by end, under each model of memory.

const example = (name: string) => fileURLToPath(new URL(`../../docs/examples/${name}`, import.meta.url));
const COUNTER = example('counter.mjs');
const STORE_BUFFERING = example('store-buffering.mjs');
const SB_LITMUS = example('litmus/SB.litmus');

/** A report's ends as `measure → count`, the measure read by `by`. */
function countsBy(report: ExploreReport, by: (end: ExploreReport['outcomes'][number]) => number): Map<number, bigint> {
  const counts = new Map<number, bigint>();
  for (const end of report.outcomes) counts.set(by(end), (counts.get(by(end)) ?? 0n) + BigInt(end.count));
  return counts;
}

describe('the counter as a plain file', () => {
  it.each([
    ['unsafe', 2, 3],
    ['atomic', 2, 3],
    ['lock', 2, 3],
    ['cas', 2, 3],
    ['unsafe', 3, 3],
    ['lock', 3, 3],
    ['unsafe', 3, 2],
  ])('%s at %i × %i: the same interleavings, ending at the same totals, as the built-in counter', async (mode, threads, iters) => {
    const plain = await exploreInterleavings({ scenario: COUNTER, mode, threads, iters });
    const builtIn = await exploreInterleavings({ scenario: 'counter', mode, threads, iters });
    expect(plain.interleavings).toBe(builtIn.interleavings);
    expect(countsBy(plain, (end) => end.values!.c!)).toEqual(countsBy(builtIn, (end) => end.final));
    // Its ends are judged by the file's expected(): broken exactly where the built-in's are.
    expect(plain.brokenCount).toBe(builtIn.brokenCount);
  });
});

describe('store buffering as a plain file and as a litmus file', () => {
  it.each([
    [STORE_BUFFERING, 'unsafe', 'unsafe'],
    [STORE_BUFFERING, 'atomic', 'atomic'],
    [SB_LITMUS, 'test', 'unsafe'],
  ])('%s (%s): under sc and tso, as many executions end with both reads 0, and with not, as the built-in reorder counts', async (file, mode, builtInMode) => {
    for (const memoryModel of ['sc', 'tso']) {
      const plain = await exploreInterleavings({ scenario: file, mode, memoryModel });
      const builtIn = await exploreInterleavings({ scenario: 'reorder', mode: builtInMode, threads: 2, iters: 1, memoryModel });
      expect(plain.interleavings).toBe(builtIn.interleavings);
      // The built-in's measure is the rounds in which both read 0: at one round, 0 or 1.
      const bothZero = (end: ExploreReport['outcomes'][number]) => (Object.values(end.values!).every((value) => value === 0) ? 1 : 0);
      expect(countsBy(plain, bothZero)).toEqual(countsBy(builtIn, (end) => end.final));
    }
  });

  it('both reading 0 is forbidden under sc and allowed under tso, the verdict each model gives', async () => {
    for (const file of [STORE_BUFFERING, SB_LITMUS]) {
      expect((await exploreInterleavings({ scenario: file, memoryModel: 'sc' })).verdict).toBe('forbidden');
      expect((await exploreInterleavings({ scenario: file, memoryModel: 'tso' })).verdict).toBe('allowed');
    }
  });
});
