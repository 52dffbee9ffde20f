import { describe, expect, it } from 'vitest';
import { lines, runCli, startCli } from '../helpers/cli.js';

interface Explored {
  interleavings: string;
  outcomes: { final: number; count: string; broken: boolean }[];
  min: { final: number; schedule: number[] };
  max: { final: number; schedule: number[] };
  broken: string;
  replayed: { final: number; matches: boolean } | null;
}

describe('race-demo explore (built CLI)', () => {
  it('shows all five outcomes of 2 × 3 with exact counts, and replays the smallest on real threads', async () => {
    const { exitCode, stdout, stderr } = await runCli(['explore', '--threads', '2', '--iters', '3', '--replay', '--no-color']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    for (const [final, count] of [[2, 8], [3, 300], [4, 416], [5, 180], [6, 20]]) expect(stdout).toMatch(new RegExp(`\\n\\s+${final}\\s+${count}\\s`));
    expect(stdout).toContain('924 interleavings in all (exact)');
    expect(stdout).toContain('invariant broken: sometimes. 904 of 924 interleavings end below the expected total.');
    expect(stdout.replace(/\s+/g, ' ')).toMatch(/smallest \(2, 4 preemptions\): race-demo replay --mode unsafe --threads 2 --iters 3 --schedule [\dx,]+/);
    expect(stdout).toContain('replayed the smallest on 2 real threads: the counter 2, as the model says.');
  });

  it('4 × 6: the replay commands it prints, schedules written with xN, end on real threads where it says', async () => {
    const { exitCode, stdout } = await runCli(['explore', '-t', '4', '-n', '6', '--no-color'], { env: { COLUMNS: '80' } });
    expect(exitCode).toBe(0);
    const commands = [...stdout.replace(/\n\s*/g, ' ').matchAll(/(smallest|largest) \((\d+)\): race-demo (replay [^ ]+(?: [^ ]+)*? --schedule ([\dx,]+))/g)];
    expect(commands.map((m) => [m[1], m[2]])).toEqual([['smallest', '2'], ['largest', '24']]);
    expect(commands[1]![4]).toBe('1x12,2x12,3x12,4x12');
    for (const [, , final, command] of commands) {
      const replayed = await runCli([...command!.split(' '), '--json']);
      expect(replayed.exitCode).toBe(0);
      expect((JSON.parse(replayed.stdout) as { actual: number }).actual).toBe(Number(final));
    }
  });

  it.each(['counter', 'list', 'withdraw'])('%s: the printed witnesses, pasted into replay, end where the model says on real threads', async (scenario) => {
    const explored = await runCli(['explore', '--scenario', scenario, '-t', '3', '-n', '2', '--json']);
    expect(explored.exitCode).toBe(0);
    const report = JSON.parse(explored.stdout) as Explored;
    for (const witness of [report.min, report.max]) {
      const replayed = await runCli(['replay', '--scenario', scenario, '-t', '3', '-n', '2', '--schedule', witness.schedule.join(','), '--json']);
      expect(replayed.exitCode).toBe(0);
      expect((JSON.parse(replayed.stdout) as { actual: number }).actual).toBe(witness.final);
    }
  });

  it('says never for the fixes, with counts as decimal strings in JSON', async () => {
    const { exitCode, stdout } = await runCli(['explore', '-t', '3', '-n', '2', '-m', 'lock', '--json']);
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ command: 'explore', mode: 'lock', interleavings: '90', outcomes: [{ final: 6, count: '90', broken: false }], broken: 'never', replayed: null });
  });

  it('list 2 × 2 is exact, and its smallest replays to the same on real threads', async () => {
    const { exitCode, stdout } = await runCli(['explore', '--scenario', 'list', '-t', '2', '-n', '2', '--replay', '--json']);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as Explored;
    expect(report.interleavings).toBe('924');
    expect(report.outcomes.map((o) => [o.final, o.count, o.broken])).toEqual([[2, '702', true], [3, '216', true], [4, '6', false]]);
    expect(report.replayed).toEqual({ final: 2, matches: true });
  });

  it('list 3 × 3: exact, quick, and small', async () => {
    const started = performance.now();
    const { exitCode, stdout } = await runCli(['explore', '--scenario', 'list', '-t', '3', '-n', '3', '--json']);
    expect(exitCode).toBe(0);
    expect((JSON.parse(stdout) as Explored).interleavings).toBe('227873431500');
    // Measured 0.8 s here; a generous bound, only to catch a return to the 14 s of a model without symmetry.
    expect(performance.now() - started).toBeLessThan(8000);
  });

  it('stops at once on Ctrl-C, saying how far the model had got', async () => {
    const cli = startCli(['explore', '--scenario', 'list', '-t', '3', '-n', '4', '--max-states', '3000000']);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const sent = performance.now();
    cli.child.kill('SIGINT');
    const { exitCode, stdout, stderr } = await cli.done;
    expect(performance.now() - sent).toBeLessThan(1500);
    expect(exitCode).toBe(130);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual([expect.stringMatching(/^race-demo: interrupted by SIGINT during explore: [\d,]+ states found so far; the model was stopped; every worker was terminated$/)]);
  });

  it.each([
    [['explore', '-t', '4', '-n', '4', '--max-states', '1000'], 'race-demo: error: explore of counter unsafe at --threads 4 × --iters 4 needs more than 1,000 states: lower --threads or --iters, or raise --max-states'],
    [['explore', '-m', 'all'], "option '-m, --mode <mode>' argument 'all' is invalid"],
    [['explore', '--scenario', 'list', '-t', '3', '-n', '4', '--max-states', '1e8'], 'race-demo: error: --max-states 100,000,000 could take up to'],
    [['explore', '-t', '1', '-n', '5001', '--replay'], 'race-demo: error: replay shows at most 10,000 steps, and every interleaving here takes at least 10,002: lower --threads or --iters'],
    [['explore', '--scenario', 'list', '-m', 'spin'], "race-demo: error: --mode 'spin' is not a mode of the list scenario: expected unsafe, atomic, lock"],
  ])('refuses %j with exit 2 and one line', async (args, message) => {
    const { exitCode, stdout, stderr } = await runCli(args);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});
