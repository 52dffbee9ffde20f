import { describe, expect, it } from 'vitest';
import { exploreInterleavings, InterruptedError, UsageError, type ExploreReport } from '../../dist/index.js';

/** The template of the UsageError a promise rejects with: the message with its option fields in braces. */
async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as UsageError).template;
}

describe('exploreInterleavings', () => {
  it('gives one JSON shape for every scenario: counts as decimal strings, a verdict, which model counted', async () => {
    const report = await exploreInterleavings({ threads: 2, iters: 2 });
    expect(report).toMatchObject({
      schemaVersion: 2,
      command: 'explore',
      scenario: 'counter',
      mode: 'unsafe',
      threads: 2,
      iters: 2,
      measure: 'the counter',
      interleavings: '70',
      outcomes: [
        { final: 2, count: '32', broken: true, deadlock: false },
        { final: 3, count: '32', broken: true, deadlock: false },
        { final: 4, count: '6', broken: false, deadlock: false },
      ],
      broken: 'sometimes',
      brokenCount: '64',
      brokenMeans: 'end below the expected total',
      deadlocked: '0',
      model: 'counter',
    } satisfies Partial<ExploreReport>);
    expect([report.min.final, report.max.final]).toEqual([2, 4]);
    expect((await exploreInterleavings({ threads: 3, iters: 2, mode: 'lock' })).broken).toBe('never');
    const list = await exploreInterleavings({ scenario: 'list', threads: 2, iters: 1 });
    expect(list).toMatchObject({ scenario: 'list', measure: 'items in the list', model: 'generic', outcomes: [{ final: 1, broken: true }, { final: 2, broken: false }] });
  });

  it('counts the counter with the generic model too, when asked, to the same numbers', async () => {
    const own = await exploreInterleavings({ threads: 3, iters: 2, mode: 'cas' });
    const generic = await exploreInterleavings({ threads: 3, iters: 2, mode: 'cas', ownModel: false });
    expect(generic.model).toBe('generic');
    expect(generic.outcomes).toEqual(own.outcomes);
  });

  it('takes more than 8 threads: the generic model counts what the counter model cannot', async () => {
    const report = await exploreInterleavings({ threads: 9, iters: 1, mode: 'atomic' });
    expect(report.model).toBe('generic');
    expect(report.outcomes).toEqual([{ final: 9, count: '362880', broken: false, deadlock: false }]);
  });

  it.each([
    ['counter', 50_000],
    ['list', 1_000],
    ['withdraw', 2_000],
  ])('%s with one thread × %i: one interleaving, no crash', async (scenario, iters) => {
    const report = await exploreInterleavings({ scenario, threads: 1, iters });
    expect(report.interleavings).toBe('1');
  });

  it('refuses a size past maxStates with a usage error that names the field', async () => {
    expect(await refusal(exploreInterleavings({ threads: 4, iters: 4, maxStates: 1000 }))).toBe(
      'explore of counter unsafe at {threads} 4 × {iters} 4 needs more than 1,000 states: lower {threads} or {iters}, or raise {maxStates}',
    );
  });

  it('refuses before any work a size whose every interleaving is longer than the states allowed', async () => {
    const started = performance.now();
    expect(await refusal(exploreInterleavings({ scenario: 'list', threads: 1, iters: 5000, maxStates: 1000 }))).toMatch(/needs more than 1,000 states \(every interleaving takes at least [\d,]+ steps\)/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses up front, with the estimate, maxStates that would not fit in memory', async () => {
    expect(await refusal(exploreInterleavings({ scenario: 'list', threads: 3, iters: 4, maxStates: 100_000_000 }))).toMatch(
      /^\{maxStates\} 100,000,000 could take up to [\d,]+ MiB at this size \(about [\d,]+ bytes a state\), more than the [\d,]+ MiB explore may use here/,
    );
  });

  it('with forReplay, refuses before exploring what replay could not show', async () => {
    expect(await refusal(exploreInterleavings({ threads: 1, iters: 5001, forReplay: true }))).toBe(
      'replay shows at most 10,000 steps, and every interleaving here takes at least 10,002: lower {threads} or {iters}',
    );
  });

  it('stops at once when aborted, saying how far it got', async () => {
    const controller = new AbortController();
    const exploring = exploreInterleavings({ scenario: 'list', threads: 3, iters: 4, maxStates: 3_000_000, signal: controller.signal });
    setTimeout(() => controller.abort('SIGINT'), 300);
    const started = performance.now();
    const error = await exploring.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).progress?.done).toMatch(/^[\d,]+ states found so far; the model was stopped$/);
    expect(performance.now() - started).toBeLessThan(1500);
  });
});
