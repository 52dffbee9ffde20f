import { describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('race-demo replay (built CLI)', () => {
  it('prints the classic lost update step by step', async () => {
    const { exitCode, stdout, stderr } = await runCli(['replay']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(flat(stdout)).toContain('race-demo replay counter: unsafe, 2 threads × 1 increment, schedule 1,2,1,2');
    // The code once, then a lane per thread: the line each step ran and what it read or wrote, and the counter after it.
    expect(stdout).toMatch(/unsafe: each thread runs, for each increment:\n\s+1\s+v = c\[0\]\n\s+2\s+c\[0\] = v \+ 1\n/);
    expect(stdout).toMatch(/step\s+thread 1\s+thread 2\s+shared\n/);
    expect(stdout).toMatch(/\n\s+1 {2}1 v = c\[0\] → 0\s+c\[0\] = 0\n/);
    expect(stdout).toMatch(/\n\s+2\s{20,}1 v = c\[0\] → 0\s+c\[0\] = 0\n/);
    expect(stdout).toMatch(/\n\s+3 {2}2 c\[0\] = v \+ 1 → 1\s+c\[0\] = 1\n/);
    expect(stdout).toMatch(/\n\s+4\s{20,}2 c\[0\] = v \+ 1 → 1\s+c\[0\] = 1\s+late: 1 update lost\n/);
    expect(stdout).toContain('The counter reached 1 of 2: 1 increment lost.');
    expect(flat(stdout)).toContain("Step 4: thread 2 wrote 1, computed from the 0 it read at step 2, over a counter of 1, erasing thread 1's increment at step 3.");
  });

  it('prints the same trace on every run, and pinned to one CPU', async () => {
    const args = ['replay', '-t', '3', '-n', '2', '-m', 'lock'];
    const runs = await Promise.all([runCli(args), runCli(args), runCli(args), runCli(args, { wrapper: ['taskset', '-c', '0'] })]);
    for (const run of runs) {
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe(runs[0].stdout);
    }
    expect(runs[0].stdout).toContain('waits');
  });

  it('shows why the lock prevents the loss', async () => {
    const { stdout } = await runCli(['replay', '-m', 'lock', '-s', '1,2,1,2,1,2,1,2,2,2,2']);
    expect(stdout).toMatch(/\n\s+2\s+1 lock\(\): waits\s+c\[0\] = 0, lock: thread 1\s+waits: thread 1 holds the\s+lock/);
    expect(flat(stdout)).toContain('The counter reached 2: exact. Threads waited for the lock (steps 2, 4 and 6) until the holder released it');
  });

  it('shows a failed compare-exchange and its retry in cas mode, on real threads, with nothing lost', async () => {
    const { exitCode, stdout } = await runCli(['replay', '-m', 'cas', '-s', '1,2,1,2,2,2', '--json']);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { actual: number; lost: number; steps: { thread: number; action: string; watch: number }[] };
    expect(report.steps.map((s) => `${s.thread}:${s.action}:${s.watch}`)).toEqual(['1:read:0', '2:read:0', '1:cas:1', '2:retry:1', '2:read:1', '2:cas:2']);
    expect(report).toMatchObject({ actual: 2, lost: 0 });
  });

  it('shows the spin lock spinning, not sleeping', async () => {
    const { exitCode, stdout } = await runCli(['replay', '-m', 'spin', '-s', '1,2,1,1,1,2,2,2,2', '--no-color']);
    expect(exitCode).toBe(0);
    expect(flat(stdout)).toContain('Threads spun on the lock, reading it again and again, (step 2) until the holder released it');
  });

  it('gives the trace as JSON, in the shape every scenario shares', async () => {
    const { exitCode, stdout } = await runCli(['replay', '--json']);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      schemaVersion: 2,
      command: 'replay',
      scenario: 'counter',
      mode: 'unsafe',
      threads: 2,
      iters: 1,
      schedule: [1, 2, 1, 2],
      watching: 'counter',
      steps: [
        { step: 1, thread: 1, action: 'read', value: 0, watch: 0, line: 1, shared: 'c[0] = 0', note: null },
        { step: 2, thread: 2, action: 'read', value: 0, watch: 0, line: 1, shared: 'c[0] = 0', note: null },
        { step: 3, thread: 1, action: 'write', value: 1, watch: 1, line: 2, shared: 'c[0] = 1', note: null },
        { step: 4, thread: 2, action: 'write', value: 1, watch: 1, line: 2, shared: 'c[0] = 1', note: { text: 'late: 1 update lost', bad: true } },
      ],
      expected: 2,
      actual: 1,
      lost: 1,
      ok: false,
    });
  });

  it('withdraw: the overdraft step by step, on real threads', async () => {
    const { exitCode, stdout } = await runCli(['replay', '--scenario', 'withdraw', '--no-color']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/\n\s+1 {2}line 1 → 10\s+balance 10, paid 0\s+sees 10: enough/);
    expect(stdout).toMatch(/\n\s+2\s+line 1 → 10\s+balance 10, paid 0\s+sees 10: enough/);
    expect(stdout).toMatch(/\n\s+4\s+line 2 → -10\s+balance -10, paid 20\s+overdraft: 10 paid out that was not there/);
    expect(stdout).toContain('Paid out 20 from a balance of 10: overdrawn by 10.');
  });

  it('list: the overwritten slot, as JSON too', async () => {
    const { exitCode, stdout } = await runCli(['replay', '--scenario', 'list', '-s', '1,2,1,2,1,2', '--json']);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { steps: { action: string; note: { text: string } | null }[]; actual: number; missingItems: number; watching: string };
    expect(report.watching).toBe('length');
    expect(report.steps[3]).toMatchObject({ action: 'write item', note: { text: 'overwrites item t1#1: it is lost', bad: true } });
    expect(report).toMatchObject({ actual: 1, missingItems: 1 });
  });

  it.each([
    [['replay', '-s', '1,2,3,1'], "--schedule's step 3 is thread 3, but there are only 2 threads"],
    [['replay', '-s', '1,1,1,2'], "--schedule's step 3 is thread 1's, but it has already taken all 2 steps it takes"],
    [['replay', '-s', '1,2,1'], '--schedule ends after 3 steps with thread 2 unfinished'],
    [['replay', '-s', '1,two'], "argument '1,two' is invalid"],
    [['replay', '-t', '100', '-n', '100'], 'a replay of more than 10,000 steps is too long to show; replay prints every step: lower --threads or --iters'],
    [['replay', '--scenario', 'withdraw', '-m', 'atomic'], "--mode 'atomic' is not a mode of the withdraw scenario: expected unsafe, cas, lock"],
  ])('refuses %j with exit 2, one line, and no thread started', async (args, message) => {
    const { exitCode, stdout, stderr } = await runCli(args, { env: { RACE_DEMO_DEBUG: '1' } });
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
