import { describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';

describe('race-demo replay (built CLI)', () => {
  it('prints the classic lost update step by step', async () => {
    const { exitCode, stdout, stderr } = await runCli(['replay']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('race-demo replay: unsafe, 2 threads × 1 increment, schedule 1,2,1,2');
    expect(stdout).toMatch(/1\s+thread 1\s+read\s+0\s+0\n/);
    expect(stdout).toMatch(/2\s+thread 2\s+read\s+0\s+0\n/);
    expect(stdout).toMatch(/3\s+thread 1\s+write\s+1\s+1\n/);
    expect(stdout).toMatch(/4\s+thread 2\s+write\s+1\s+1\s+late: 1 update lost\n/);
    expect(stdout).toContain('final 1, expected 2: 1 update lost.');
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      'Step 4: thread 2 wrote 1, computed from the 0 it read at step 2, over a counter of 1, erasing thread 1\'s increment at step 3.',
    );
  });

  it('prints the same trace on every run, and pinned to one CPU', async () => {
    const args = ['replay', '-t', '3', '-n', '2', '-m', 'lock'];
    const runs = await Promise.all([runCli(args), runCli(args), runCli(args), runCli(args, { wrapper: ['taskset', '-c', '0'] })]);
    for (const run of runs) {
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toBe(runs[0].stdout);
    }
    expect(runs[0].stdout).toContain('blocked');
  });

  it('shows why the lock prevents the loss', async () => {
    const { stdout } = await runCli(['replay', '-m', 'lock', '-s', '1,2,1,2,1,2,1,2,2,2,2']);
    expect(stdout).toMatch(/2\s+thread 2\s+blocked\s+0\s+waits: thread 1 holds the lock/);
    expect(stdout.replace(/\s+/g, ' ')).toContain('final 2, expected 2: exact. The lock made threads wait (blocked at steps 2, 4 and 6)');
  });

  it('shows a failed compare-exchange and its retry in cas mode, on real threads, with nothing lost', async () => {
    const { exitCode, stdout } = await runCli(['replay', '-m', 'cas', '-s', '1,2,1,2,2,2', '--json']);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { final: number; lost: number; steps: { thread: number; action: string; value: number | null; counter: number }[] };
    expect(report.steps.map((s) => `${s.thread}:${s.action}:${s.counter}`)).toEqual(['1:read:0', '2:read:0', '1:cas:1', '2:retry:1', '2:read:1', '2:cas:2']);
    expect(report.final).toBe(2);
    expect(report.lost).toBe(0);
  });

  it('makes a thread wait for the spin lock as for the mutex', async () => {
    const { exitCode, stdout } = await runCli(['replay', '-m', 'spin', '-s', '1,2,1,1,1,2,2,2,2', '--json']);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { final: number; steps: { thread: number; action: string; value: number | null }[] };
    expect(report.steps[1]).toMatchObject({ thread: 2, action: 'blocked', value: 1 });
    expect(report.final).toBe(2);
  });

  it('gives the trace as JSON', async () => {
    const { exitCode, stdout } = await runCli(['replay', '--json']);
    expect(exitCode).toBe(0);
    const doc = JSON.parse(stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      schemaVersion: 1,
      command: 'replay',
      mode: 'unsafe',
      threads: 2,
      iters: 1,
      schedule: [1, 2, 1, 2],
      steps: [
        { step: 1, thread: 1, action: 'read', value: 0, counter: 0 },
        { step: 2, thread: 2, action: 'read', value: 0, counter: 0 },
        { step: 3, thread: 1, action: 'write', value: 1, counter: 1 },
        { step: 4, thread: 2, action: 'write', value: 1, counter: 1 },
      ],
      expected: 2,
      final: 1,
      lost: 1,
    });
  });

  it.each([
    [['replay', '-s', '1,2,3,1'], '--schedule entry 3 is thread 3, but there are only 2 threads'],
    [['replay', '-s', '1,1,1,2'], '--schedule entry 3 gives thread 1 a step, but it has already taken all 2 of its steps'],
    [['replay', '-s', '1,2,1'], '--schedule ends after 3 steps with threads unfinished (thread 2 has 1 left)'],
    [['replay', '-s', '1,two'], "argument '1,two' is invalid"],
    [['replay', '-t', '100', '-n', '100'], 'replay shows every step, up to 10,000'],
  ])('refuses %j with exit 2, one line, and no thread started', async (args, message) => {
    const { exitCode, stdout, stderr } = await runCli(args, { env: { RACE_DEMO_DEBUG: '1' } });
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
