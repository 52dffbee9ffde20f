import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InterruptedError, newThreadState, PlainMemory, runRace, SCENARIOS, SCENARIO_NAMES, UsageError, WorkerFailedError, type ModeResult, type RunEvent, type RunReport, type Scenario } from '../../dist/index.js';

/** A scenario whose racy mode can never break its invariant (test/fixtures/own-cells.js). */
const OWN_CELLS = fileURLToPath(new URL('../fixtures/own-cells.js', import.meta.url));

const fixesOf = (name: string) => SCENARIOS[name]!.modes.filter((mode) => !mode.racy).map((mode) => mode.name);
const raceOf = (name: string) => SCENARIOS[name]!.modes[0]!.name;

/** How many locks one operation takes, on the model: a thread's first operation, run alone. */
function locksPerOperation(scenario: Scenario, mode: string): number {
  const size = { threads: 1, iters: 1 };
  const values = new Int32Array(scenario.cellCount(size));
  scenario.init(values, size);
  const memory = new PlainMemory(values, scenario.lockCell);
  let taken = 0;
  const counting = Object.assign(Object.create(memory) as PlainMemory, {
    tryLock: (thread: number, lock?: number) => memory.tryLock(thread, lock) && ++taken > 0,
  });
  const state = newThreadState();
  while (!scenario.isDone!(mode, state, size)) scenario.step!(mode, 1, state, counting, size);
  return taken;
}

/** What a fix must show in every run, whatever the timing: the invariant held, and nothing was lost. */
function expectExact(result: ModeResult): void {
  expect(result.ok).toBe(true);
  expect(result.actual).toBe(result.expected);
  if (result.lost !== null) expect(result.lost).toBe(0);
}

/** Whether the scenario takes this many threads (reorder takes exactly 2). */
const takes = (name: string, threads: number) => (SCENARIOS[name]!.sizeProblem?.({ threads, iters: 1 }, 'run') ?? null) === null;
/** `threads`, or 2 where the scenario does not take that many. */
const threadsFor = (name: string, threads: number) => (takes(name, threads) ? threads : 2);
/** Whether the race has a gap between a read and its write for --widen to open. */
const hasGap = (name: string) => SCENARIOS[name]!.modes[0]!.gapAfter.length > 0;

describe.each(SCENARIO_NAMES)('runRace, %s scenario, on real worker threads', (scenario) => {
  it.each(
    [
      [1, 1],
      [2, 1_000],
      [3, 7],
      [8, 500],
    ].filter(([threads]) => takes(scenario, threads!)),
  )('every fix keeps the invariant with %i threads × %i', async (threads, iters) => {
    const report = await runRace({ scenario, threads, iters, modes: fixesOf(scenario) });
    expect(report.results.map((r) => r.mode)).toEqual(fixesOf(scenario));
    report.results.forEach(expectExact);
  });

  it('every fix keeps it through the generic step loop too, and with a sleep in every gap', async () => {
    for (const options of [{ ownLoops: false }, ...(hasGap(scenario) ? [{ widen: 'always' as const }] : [])]) {
      const report = await runRace({ scenario, threads: threadsFor(scenario, 3), iters: 30, modes: fixesOf(scenario), ...options });
      report.results.forEach(expectExact);
    }
  });

  it.runIf(!hasGap(scenario))('where the race has no read and write to put a sleep between, --widen always is refused', async () => {
    await expect(runRace({ scenario, threads: 2, iters: 10, modes: [raceOf(scenario)], widen: 'always' })).rejects.toThrow(UsageError);
  });

  it.runIf(hasGap(scenario))('the race breaks the invariant once the gap between its read and its write is widened', async () => {
    // One small trial can miss it on a busy machine (a thread sleeps through it); twenty in a row do not.
    const report = await runRace({ scenario, threads: 2, iters: 200, modes: [raceOf(scenario)], widen: 'always', trials: 20, untilRace: true });
    const [race] = report.results;
    expect(race).toMatchObject({ mode: raceOf(scenario), widened: true, ok: false });
    expect(race!.summary.length).toBeGreaterThan(0);
    // What the threads caught: their sightings, or (where the scenario breaks by deadlock) the cycle they found.
    expect(SCENARIOS[scenario]!.describeSighting ? race!.evidence : race!.deadlock).not.toBeNull();
    if (race!.evidence?.largest) expect(race!.evidence.largest.text.length).toBeGreaterThan(0);
  });

  it.runIf(hasGap(scenario))('--expect race holds for the race: the widened gap shows it when the plain run does not', async () => {
    const report = await runRace({ scenario, threads: 2, iters: 100, modes: [raceOf(scenario)], expect: 'race' });
    expect(report.ok).toBe(true);
    if (report.fallback.length > 0) expect(report.results[0]!.widened).toBe(true);
  });

  it('counts per thread: every operation, and for a lock every acquisition', async () => {
    const threads = threadsFor(scenario, 3);
    const report = await runRace({ scenario, threads, iters: 200, stats: true });
    for (const result of report.results) {
      const mode = SCENARIOS[scenario]!.modes.find((m) => m.name === result.mode)!;
      if (result.deadlock) {
        // Threads that deadlocked never finish: they show how far they got, and there is no fairness to rate.
        expect(result.threadStats.filter((t) => t.finishMs === null).map((t) => t.thread)).toEqual(expect.arrayContaining(result.deadlock.cycle.map((link) => link.thread)));
        expect(result.threadStats.every((t) => t.operations <= 200)).toBe(true);
        expect(result.fairness).toBeNull();
        continue;
      }
      expect(result.threadStats.map((t) => t.operations)).toEqual(Array.from({ length: threads }, () => 200));
      if (mode.lock) expect(result.threadStats.reduce((sum, t) => sum + t.acquisitions!, 0)).toBe(200 * threads * locksPerOperation(SCENARIOS[scenario]!, mode.name));
      else expect(result.threadStats.every((t) => t.acquisitions === null)).toBe(true);
      expect(result.threadStats.every((t) => (t.retries === null) === !mode.retries)).toBe(true);
      expect(result.fairness!.jain).toBeGreaterThan(0);
    }
  });

  it('runs trials, and stops at the first that races when asked', async () => {
    const fixes = await runRace({ scenario, threads: 2, iters: 50, modes: fixesOf(scenario), trials: 3, expect: 'correct' });
    expect(fixes.trials!.modes.map((s) => [s.run, s.raced, s.firstRace])).toEqual(fixesOf(scenario).map(() => [3, 0, null]));
    expect(fixes.ok).toBe(true);
    // Where the race has no gap to widen (reorder), whether it shows is the CPU's: test/exclusive has it.
    if (!hasGap(scenario)) return;
    const race = await runRace({ scenario, threads: 2, iters: 20, modes: [raceOf(scenario)], trials: 20, untilRace: true, widen: 'always' });
    const summary = race.trials!.modes[0]!;
    expect(summary.raced).toBe(1);
    expect(summary.run).toBe(summary.firstRace);
  });

  it('a fault strikes in every scenario, inside the lock where there is one, and ends every worker', async () => {
    const held = SCENARIOS[scenario]!.lockCount ? ' (it held lock A)' : ' (it held the lock)';
    for (const mode of SCENARIOS[scenario]!.modes) {
      const started = performance.now();
      const outcome: unknown = await runRace({ scenario, threads: threadsFor(scenario, 3), iters: 1_000_000, modes: [mode.name], fault: { kind: 'crash', thread: 2 } }).catch(
        (e: unknown) => e,
      );
      expect(performance.now() - started).toBeLessThan(10_000);
      // Threads that can deadlock may do so before thread 2 reaches its fault: that run ends too, deadlocked.
      if (mode.racy && !(outcome instanceof Error) && (outcome as RunReport).results[0]!.deadlock) continue;
      expect(outcome).toBeInstanceOf(WorkerFailedError);
      expect((outcome as WorkerFailedError).thread).toBe(2);
      expect((outcome as WorkerFailedError).message).toBe(`thread 2 crashed: injected crash (fault crash:2)${mode.lock ? held : ''}`);
    }
  });

  it('stops on abort, saying what the cells showed', async () => {
    const controller = new AbortController();
    const run = runRace({
      scenario,
      threads: 2,
      iters: 1_000_000,
      modes: [fixesOf(scenario).at(-1)!],
      signal: controller.signal,
      // At the release, before the threads can have finished: what a Ctrl-C mid-run does, at a known moment.
      onEvent: (e) => {
        if (e.type === 'released') controller.abort('SIGINT');
      },
    });
    const error: unknown = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InterruptedError);
    expect((error as InterruptedError).progress).toMatchObject({ during: fixesOf(scenario).at(-1) });
    expect((error as InterruptedError).progress!.done).toMatch(new RegExp(`^${SCENARIOS[scenario]!.measure} at [\\d,]+ so far, [0-2] of 2 threads finished$`));
  });
});

describe('runRace, the common shape', () => {
  it('returns the object --json prints: common fields first, the machine it ran on', async () => {
    const report = await runRace({ threads: 2, iters: 10, modes: ['atomic'], expect: 'correct' });
    expect(report).toMatchObject({ schemaVersion: 2, command: 'run', scenario: 'counter', operation: 'increment', measure: 'the counter', threads: 2, iters: 10, barrier: true, node: process.version, expect: 'correct', ok: true });
    expect(Object.keys(report.results[0]!).slice(0, 6)).toEqual(['mode', 'expected', 'actual', 'lost', 'lostRatio', 'ok']);
    expect(report).toMatchObject({ widen: 'auto', trials: null, fallback: [] });
  });

  it("puts a scenario's own fields beside the common ones", async () => {
    const [result] = (await runRace({ scenario: 'withdraw', threads: 2, iters: 10, modes: ['lock'] })).results;
    expect(result).toMatchObject({ mode: 'lock', expected: 110, actual: 110, lost: null, lostRatio: null, ok: true, startingBalance: 110, paidOut: 110, overdrawn: 0, balance: 0 });
  });

  it('runs without a barrier too', async () => {
    const events: RunEvent['type'][] = [];
    const report = await runRace({ threads: 3, iters: 1_000, modes: ['lock'], barrier: false, onEvent: (e) => events.push(e.type) });
    expect(report.results[0]!.actual).toBe(3_000);
    expect(events).toEqual(['spawned', 'finished', 'trial']);
  });

  it('with one thread nothing can race: no gap is widened, and race fails saying why', async () => {
    const report = await runRace({ threads: 1, iters: 10, modes: ['unsafe'], expect: 'race' });
    expect(report.fallback).toEqual([]);
    expect(report.results[0]).toMatchObject({ widened: false, actual: 10, lost: 0 });
    expect(report.ok).toBe(false);
    expect(report.reason).toContain('with one thread nothing can race');
  });

  // OWN_CELLS' racy mode touches no cell another thread writes: its plain trials surely keep the invariant.
  it('a race that did not show is widened, the report keeps both runs, and race still fails', async () => {
    const report = await runRace({ scenario: OWN_CELLS, threads: 2, iters: 10, modes: ['unsafe'], expect: 'race' });
    expect(report.fallback).toMatchObject([{ mode: 'unsafe', plain: { widened: false, ok: true }, plainSummary: { run: 1, raced: 0 } }]);
    expect(report.results[0]).toMatchObject({ widened: true, actual: 20, lost: 0 });
    expect(report.ok).toBe(false);
  });

  it('widens a race that did not show whatever is expected: with nothing expected, and expecting it correct', async () => {
    for (const expectation of [null, 'correct' as const]) {
      const report = await runRace({ scenario: OWN_CELLS, threads: 2, iters: 10, modes: ['unsafe'], trials: 3, expect: expectation });
      expect(report.fallback).toMatchObject([{ mode: 'unsafe', plainSummary: { run: 3, raced: 0 } }]);
      expect(report.results[0]).toMatchObject({ widened: true, ok: true });
      expect(report.ok).toBe(true);
    }
  });

  it('caps a widened rerun at 200 operations per thread, and says so', async () => {
    const report = await runRace({ scenario: OWN_CELLS, threads: 2, iters: 100_000, modes: ['unsafe'] });
    expect(report.fallback).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ widened: true, iters: 200, expected: 400 });
  });

  it('--expect correct stops a mode at its first trial that broke the invariant: the answer is known', async () => {
    const report = await runRace({ threads: 2, iters: 20, modes: ['unsafe'], trials: 50, widen: 'always', expect: 'correct' });
    const summary = report.trials!.modes[0]!;
    expect(summary.raced).toBe(1);
    expect(summary.run).toBe(summary.firstRace);
    expect(report.ok).toBe(false);
  });

  it('runs trials on fresh workers too, when asked, with the same results for the fixes', async () => {
    const report = await runRace({ threads: 2, iters: 1_000, modes: ['atomic', 'lock'], trials: 3, freshWorkers: true, expect: 'correct' });
    expect(report.ok).toBe(true);
    expect(report.trials!.modes.map((s) => s.finals)).toEqual([[2000, 2000, 2000], [2000, 2000, 2000]]);
  });

  it('--widen never keeps the plain race only', async () => {
    const report = await runRace({ threads: 1, iters: 10, modes: ['unsafe'], expect: 'race', widen: 'never' });
    expect(report.fallback).toEqual([]);
    expect(report.results[0]!.widened).toBe(false);
  });

  it('records evidence for the race unless told not to, and never for the fixes', async () => {
    const recorded = await runRace({ threads: 2, iters: 1_000, modes: ['unsafe', 'atomic'] });
    expect(recorded.results[0]!.evidence).not.toBeNull();
    expect(recorded.results[1]!.evidence).toBeNull();
    expect((await runRace({ threads: 2, iters: 1_000, modes: ['unsafe'], evidence: false })).results[0]!.evidence).toBeNull();
  });

  it('an exit before finishing is a failure too', async () => {
    await expect(runRace({ threads: 2, iters: 1_000, modes: ['atomic'], fault: { kind: 'exit', thread: 1 } })).rejects.toThrow('thread 1 exited before finishing its work');
  });

  it.each([
    [{ threads: 0 }, '{threads} 0 is invalid: expected an integer from 1 to 256'],
    [{ iters: 1.5 }, '{iters} 1.5 is invalid'],
    [{ threads: 4, iters: 600_000_000 }, 'more than the counter scenario takes'],
    [{ scenario: 'list', threads: 4, iters: 2_000_000 }, 'more than the list scenario takes (4,000,000)'],
    [{ modes: [] }, '{modes} needs at least one of unsafe, atomic, lock, spin, cas'],
    [{ scenario: 'list', modes: ['spin'] }, "{modes} 'spin' is not a mode of the list scenario: expected unsafe, atomic, lock"],
    [{ scenario: 'queue' }, "{scenario} 'queue' is not a scenario"],
    [{ trials: 0 }, '{trials} 0 is invalid'],
    [{ timeoutMs: 0 }, '{timeoutMs} 0 is invalid'],
    [{ threads: 2, fault: { kind: 'crash' as const, thread: 3 } }, '{fault} names thread 3, but there are only threads 1 to 2'],
  ])('refuses %j before starting any worker, naming the option field', async (options, template) => {
    const events: RunEvent[] = [];
    const error: unknown = await runRace({ ...options, onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).template).toContain(template);
    expect(events).toEqual([]);
  });
});
