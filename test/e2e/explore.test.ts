import { describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';

describe('race-demo explore (built CLI)', () => {
  it('shows all five outcomes of 2 × 3 with exact counts, and replays the smallest on real threads', async () => {
    const { exitCode, stdout, stderr } = await runCli(['explore', '--threads', '2', '--iters', '3', '--replay']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    for (const [final, count] of [[2, 8], [3, 300], [4, 416], [5, 180], [6, 20]]) {
      expect(stdout).toMatch(new RegExp(`\\n\\s+${final}\\s+${count}\\s`));
    }
    expect(stdout).toContain('924 interleavings in all (exact)');
    expect(stdout).toContain('lost update: Sometimes — 904 of 924 interleavings end below 6.');
    expect(stdout).toMatch(/smallest total 2: race-demo replay --mode unsafe --threads 2 --iters 3 --schedule [\d,]+/);
    expect(stdout).toContain('replayed the smallest on 2 real threads: final 2, as the model says.');
  });

  it('the printed witness, pasted into replay, reaches the same total on real threads', async () => {
    const explored = await runCli(['explore', '-t', '3', '-n', '2', '--json']);
    const report = JSON.parse(explored.stdout) as { min: { final: number; schedule: number[] }; max: { final: number; schedule: number[] } };
    for (const witness of [report.min, report.max]) {
      const replayed = await runCli(['replay', '-t', '3', '-n', '2', '--schedule', witness.schedule.join(','), '--json']);
      expect(replayed.exitCode).toBe(0);
      expect((JSON.parse(replayed.stdout) as { final: number }).final).toBe(witness.final);
    }
  });

  it('says Never for the fixes, with counts as decimal strings in JSON', async () => {
    const { exitCode, stdout } = await runCli(['explore', '-t', '3', '-n', '2', '-m', 'lock', '--json']);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ command: 'explore', mode: 'lock', interleavings: '90', outcomes: [{ final: 6, count: '90' }], lostUpdate: 'never', replayed: null });
  });

  it.each([
    [['explore', '-t', '9'], "argument '9' is invalid. Allowed: an integer from 1 to 8"],
    [['explore', '-t', '4', '-n', '4', '--max-states', '1000'], 'over --max-states 1,000'],
    [['explore', '-m', 'all'], 'Allowed choices are unsafe, atomic, lock, spin, cas.'],
    [['explore', '-t', '8', '-n', '2'], 'too many threads and increments for the model to name every state in one number: lower --threads or --iters'],
  ])('refuses %j with exit 2 and one line', async (args, message) => {
    const { exitCode, stdout, stderr } = await runCli(args);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
