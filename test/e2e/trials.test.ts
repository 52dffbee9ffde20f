import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, lines, runCli } from '../helpers/cli.js';

describe('race-demo run --trials (built CLI)', () => {
  it('adds a trials section to the JSON, keeping schemaVersion 1', async () => {
    const { exitCode, stdout } = await runCli(['run', '-m', 'atomic,lock', '-t', '2', '-n', '1000', '--trials', '3', '--json']);
    expect(exitCode).toBe(0);
    const doc = JSON.parse(stdout) as { schemaVersion: number; trials: { requested: number; modes: { mode: string; run: number; raced: number; finals: number[] }[] } };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.trials.requested).toBe(3);
    expect(doc.trials.modes.map((m) => [m.mode, m.run, m.raced, m.finals])).toEqual([
      ['atomic', 3, 0, [2000, 2000, 2000]],
      ['lock', 3, 0, [2000, 2000, 2000]],
    ]);
  });

  it('prints the trials table and the totals, with no progress line outside a terminal', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-m', 'unsafe,atomic', '-t', '2', '-n', '1000', '--trials', '2']);
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('2 trials per mode');
    expect(stdout).toMatch(/mode\s+trials\s+lost updates in\s+chance per trial \(95% CI\)/);
    expect(stdout).toContain('atomic: all 2 trials ended exact at 2,000');
  });

  it('expecting a race where none can happen says the gap was widened, and exits 1', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-m', 'unsafe', '-t', '1', '-n', '5', '--until-race', '--trials', '2', '--expect', 'race']);
    expect(exitCode).toBe(1);
    expect(stdout.replace(/\s+/g, ' ')).toContain('The plain unsafe race did not show in 2 trials, so unsafe ran again with the gap');
    expect(lines(stderr)).toEqual(['race-demo: --expect race did not hold: expected every mode to lose updates, but unsafe (gap widened) lost none in 2 trials']);
  });
});

const hasScript = spawnSync('script', ['--version']).status === 0;

describe('the trial progress line', () => {
  it.skipIf(!hasScript)('is shown on stderr in a terminal (under script(1))', () => {
    const command = `"${process.execPath}" "${BIN}" run -m atomic -n 100 --trials 3 --no-color`;
    const { status, stdout } = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, RACE_DEMO_DEBUG: '' } });
    expect(status).toBe(0);
    expect(stdout).toContain('atomic: trial 1 of 3, lost updates in 0');
    expect(stdout).toContain('atomic: trial 3 of 3, lost updates in 0');
  });
});
