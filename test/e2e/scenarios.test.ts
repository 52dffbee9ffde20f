import { describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';

interface ScenarioResult {
  mode: string;
  expected: number;
  actual: number;
  lost: number | null;
  ok: boolean;
  [field: string]: unknown;
}

describe('race-demo --scenario (built CLI)', () => {
  it('list: the fixes keep every item on real threads; unsafe stays within its bounds', async () => {
    const { exitCode, stdout } = await runCli(['run', '--scenario', 'list', '-t', '4', '-n', '20000', '--json']);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { scenario: string; results: ScenarioResult[] };
    expect(report.scenario).toBe('list');
    const [unsafe, ...fixes] = report.results;
    expect(report.results.map((r) => r.mode)).toEqual(['unsafe', 'atomic', 'lock']);
    for (const fix of fixes) expect(fix).toMatchObject({ expected: 80_000, actual: 80_000, lost: 0, ok: true, missingItems: 0, length: 80_000 });
    expect(unsafe!.actual).toBeGreaterThanOrEqual(1);
    expect(unsafe!.actual).toBeLessThanOrEqual(80_000);
    expect(unsafe!.lost).toBe(80_000 - unsafe!.actual);
    expect(unsafe!.missingItems).toBe(unsafe!.lost);
  });

  it('withdraw: cas and lock pay out exactly the balance; unsafe pays out at least that, at most every request', async () => {
    const { exitCode, stdout } = await runCli(['run', '--scenario', 'withdraw', '-t', '4', '-n', '20000', '--json']);
    expect(exitCode).toBe(0);
    const results = (JSON.parse(stdout) as { results: ScenarioResult[] }).results;
    expect(results.map((r) => r.mode)).toEqual(['unsafe', 'cas', 'lock']);
    const start = 10 * 40_000;
    for (const fix of results.slice(1)) expect(fix).toMatchObject({ expected: start, actual: start, ok: true, paidOut: start, balance: 0, declined: 40_000, overdrawn: 0 });
    const unsafe = results[0]!;
    expect(unsafe.paidOut).toBeGreaterThanOrEqual(start);
    expect(unsafe.paidOut).toBeLessThanOrEqual(10 * 80_000);
    expect(unsafe.overdrawn).toBe((unsafe.paidOut as number) - start);
  });

  it('replay --scenario withdraw shows the overdraft step by step, on real threads', async () => {
    const { exitCode, stdout } = await runCli(['replay', '--scenario', 'withdraw', '--no-color']);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/1\s+thread 1\s+check\s+10\s+10\s+sees 10: enough/);
    expect(stdout).toMatch(/2\s+thread 2\s+check\s+10\s+10\s+sees 10: enough/);
    expect(stdout).toMatch(/4\s+thread 2\s+debit\s+-10\s+-10\s+overdraft: 10 paid out that was not there/);
    expect(stdout).toContain('Paid out 20 from a balance of 10: overdrawn by 10.');
  });

  it('replay --scenario list shows the overwritten slot, as JSON too', async () => {
    const { exitCode, stdout } = await runCli(['replay', '--scenario', 'list', '-s', '1,2,1,2,1,2', '--json']);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { steps: { action: string; note: string }[]; actual: number; missingItems: number; watching: string };
    expect(report.watching).toBe('length');
    expect(report.steps[3]).toMatchObject({ action: 'write item', note: 'overwrites item 1.1: it is lost' });
    expect(report).toMatchObject({ actual: 1, missingItems: 1 });
  });

  it('explore --scenario list -t 2 -n 2 is exact, and its smallest replays to the same on real threads', async () => {
    const { exitCode, stdout } = await runCli(['explore', '--scenario', 'list', '-t', '2', '-n', '2', '--replay', '--json']);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { interleavings: string; outcomes: { final: number; count: string; broken: boolean }[]; broken: string; replayed: { matches: boolean } };
    expect(report.interleavings).toBe('924');
    expect(report.outcomes.reduce((sum, o) => sum + BigInt(o.count), 0n)).toBe(924n);
    expect(report.outcomes.map((o) => [o.final, o.broken])).toEqual([[2, true], [3, true], [4, false]]);
    expect(report.broken).toBe('sometimes');
    expect(report.replayed.matches).toBe(true);
  });

  it.each([
    [['run', '--scenario', 'queue'], "option '--scenario <name>' argument 'queue' is invalid. Allowed choices are counter, list, withdraw."],
    [['run', '--scenario', 'list', '-m', 'cas'], '--mode cas is not one of the list scenario\'s: expected unsafe, atomic, lock'],
    [['run', '--scenario', 'withdraw', '--trials', '3'], '--trials works with --scenario counter only, not --scenario withdraw'],
    [['replay', '--scenario', 'withdraw', '-m', 'atomic'], "--mode atomic is not one of the withdraw scenario's: expected unsafe, cas, lock"],
    [['explore', '--scenario', 'list', '-t', '3', '-n', '3'], 'needs more than 300,000 states, over --max-states 300,000'],
    [['explore', '--scenario', 'list', '-m', 'spin'], "--mode spin is not one of the list scenario's: expected unsafe, atomic, lock"],
  ])('refuses %j with exit 2 and one line', async (argv, message) => {
    const { exitCode, stdout, stderr } = await runCli(argv);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
