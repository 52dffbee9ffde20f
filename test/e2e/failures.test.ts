import { describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';

// Every failure is injected into real workers of the real CLI (RACE_DEMO_FAULT, kept out of --help).
// Each run asks for minutes of work: ending promptly shows every other worker was terminated.
const LONG_RUN = ['run', '-t', '4', '-n', '1e8', '--json'];

describe('a worker that fails stops the run: exit 3, one line, no total', () => {
  it.each([
    ['crash', 'lock', 'race-demo: thread 2 crashed: injected crash (fault crash:2) (it held the lock)'],
    ['exit', 'lock', 'race-demo: thread 2 exited before finishing its work (it held the lock)'],
    ['oom', 'lock', 'race-demo: thread 2 ran out of memory (its heap is limited to 64 MiB) (it held the lock)'],
    ['crash', 'unsafe', 'race-demo: thread 2 crashed: injected crash (fault crash:2)'],
    ['oom', 'atomic', 'race-demo: thread 2 ran out of memory (its heap is limited to 64 MiB)'],
  ])('%s in %s mode', async (fault, mode, message) => {
    const { exitCode, stdout, stderr } = await runCli([...LONG_RUN, '-m', mode], { env: { RACE_DEMO_FAULT: `${fault}:2` } });
    expect(exitCode).toBe(3);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual([message]);
  });

  it.each([
    ['list', 'lock', '3', ' (it held the lock)'],
    ['list', 'unsafe', '3', ''],
    ['withdraw', 'lock', '3', ' (it held the lock)'],
    ['withdraw', 'cas', '3', ''],
    ['deadlock', 'ordered', '3', ' (it held lock A)'],
    ['reorder', 'atomic', '2', ''],
    ['reorder', 'unsafe', '2', ''],
  ])('in every scenario: %s %s', async (scenario, mode, threads, note) => {
    const started = performance.now();
    const { exitCode, stdout, stderr } = await runCli(['run', '--scenario', scenario, '-m', mode, '-t', threads, '-n', '1e6'], { env: { RACE_DEMO_FAULT: 'crash:2' } });
    expect(exitCode).toBe(3);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual([`race-demo: thread 2 crashed: injected crash (fault crash:2)${note}`]);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it.each([
    [['replay', '-m', 'lock'], ' (it held the lock)'],
    [['replay', '--scenario', 'withdraw'], ''],
    [['replay', '--scenario', 'deadlock', '-m', 'ordered'], ' (it held lock A)'],
    [['replay', '--scenario', 'reorder'], ''],
    [['explore', '--replay', '-t', '2', '-n', '1'], ''],
  ])('in a replay too: %j', async (args, note) => {
    const { exitCode, stdout, stderr } = await runCli(args, { env: { RACE_DEMO_FAULT: 'crash:2' } });
    expect(exitCode).toBe(3);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual([`race-demo: thread 2 crashed: injected crash (fault crash:2)${note}`]);
  });
});

describe('a hang is bounded by --timeout: exit 3, naming what was stuck', () => {
  it('a lock holder that hangs does not deadlock the rest', async () => {
    const { exitCode, stdout, stderr } = await runCli([...LONG_RUN, '-m', 'lock', '--timeout', '1500'], { env: { RACE_DEMO_FAULT: 'hang:3' } });
    expect(exitCode).toBe(3);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^race-demo: timed out after 1500 ms in lock mode; thread 3 held the lock; threads [\d, and]+ had not finished$/m);
  });

  it('a thread that hangs holds its partner at the rendezvous: both are named', async () => {
    const { exitCode, stderr } = await runCli(['run', '--scenario', 'reorder', '-m', 'unsafe', '-n', '1e6', '--timeout', '1000'], { env: { RACE_DEMO_FAULT: 'hang:2' } });
    expect(exitCode).toBe(3);
    expect(lines(stderr)).toEqual(['race-demo: timed out after 1000 ms in unsafe mode; threads 1 and 2 had not finished']);
  });

  it('a thread that hangs outside any lock is named as unfinished', async () => {
    const { exitCode, stderr } = await runCli(['run', '-t', '2', '-n', '1e6', '-m', 'unsafe', '--timeout', '1000'], { env: { RACE_DEMO_FAULT: 'hang:2' } });
    expect(exitCode).toBe(3);
    expect(lines(stderr)).toEqual(['race-demo: timed out after 1000 ms in unsafe mode; thread 2 had not finished']);
  });

  it('a timeout while 256 workers start ends the run at once', async () => {
    const started = performance.now();
    const { exitCode, stderr } = await runCli(['run', '-t', '256', '-n', '1000', '-m', 'atomic', '--timeout', '1']);
    expect(exitCode).toBe(3);
    expect(stderr).toMatch(/^race-demo: timed out after 1 ms in atomic mode; only \d+ of 256 threads reached the start barrier\n$/);
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it.each(['0', '-5', '1.5', 'soon', '86400001'])('--timeout %j is a usage error', async (value) => {
    const { exitCode, stderr } = await runCli(['run', '--timeout', value]);
    expect(exitCode).toBe(2);
    expect(stderr).toContain(`option '--timeout <ms>' argument '${value}' is invalid. Allowed: an integer from 1 to 86,400,000`);
  });
});

describe('a fault specification that makes no sense', () => {
  it('is a usage error, before any worker starts', async () => {
    const { exitCode, stderr } = await runCli(['run'], { env: { RACE_DEMO_FAULT: 'explode:2', RACE_DEMO_DEBUG: '1' } });
    expect(exitCode).toBe(2);
    expect(lines(stderr)).toEqual(["race-demo: error: RACE_DEMO_FAULT 'explode:2' is invalid: expected crash, exit, hang, oom and a thread, for example crash:2"]);
  });

  it('naming a thread that does not exist is a usage error too, not a fault that never strikes', async () => {
    const { exitCode, stderr } = await runCli(['run', '-t', '2', '-n', '10'], { env: { RACE_DEMO_FAULT: 'crash:9', RACE_DEMO_DEBUG: '1' } });
    expect(exitCode).toBe(2);
    expect(lines(stderr)).toEqual(['race-demo: error: RACE_DEMO_FAULT names thread 9, but there are only threads 1 to 2: the fault would never strike']);
  });
});
