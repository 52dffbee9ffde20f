import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

// Every report fits the page: at 80 columns no line of any command's output is wider. Tables that do
// not fit become one paragraph per row; notes wrap under themselves.

const COMMANDS = [
  ['run', '-n', '20000'],
  ['run', '-n', '2000', '--trials', '3', '--stats', '--explain'],
  ['run', '-t', '1', '-n', '10', '-m', 'unsafe', '--explain'],
  ['run', '--scenario', 'list', '-t', '3', '-n', '2000', '--explain', '--stats'],
  ['run', '--scenario', 'withdraw', '-n', '2000', '--explain', '--trials', '2', '--widen', 'always'],
  ['run', '--scenario', 'deadlock', '-t', '3', '-n', '2000', '--explain', '--stats'],
  ['run', '--scenario', 'reorder', '-n', '20000', '--explain'],
  ['replay', '-t', '3', '-m', 'lock'],
  ['replay', '--scenario', 'list', '-t', '3', '-n', '2'],
  ['replay', '--scenario', 'withdraw', '-m', 'lock'],
  ['replay', '--scenario', 'deadlock', '-t', '3'],
  ['replay', '--scenario', 'reorder'],
  ['explore', '-t', '2', '-n', '3'],
  // Long counts, and long schedules written with xN.
  ['explore', '-t', '4', '-n', '6'],
  ['explore', '-t', '8', '-n', '6'],
  ['explore', '--scenario', 'deadlock', '-t', '3', '-n', '1'],
  ['explore', '--scenario', 'reorder'],
  ['explore', '--store-buffers', '--replay'],
  ['--help'],
  ['run', '--help'],
  ['replay', '--help'],
  ['explore', '--help'],
];

describe('at 80 columns, every line fits', () => {
  it.each(COMMANDS.map((args) => [args.join(' '), args] as const))('race-demo %s', async (_, args) => {
    const { exitCode, stdout } = await runCli(args, { env: { COLUMNS: '80' } });
    expect(exitCode).toBe(0);
    const widest = stdout.split('\n').reduce((most, line) => (line.length > most.length ? line : most), '');
    expect(widest.length, widest).toBeLessThanOrEqual(80);
  });
});

describe('explore at 80 columns, with long counts', () => {
  it('4 threads × 6: every row of the histogram keeps its bar and its label on one line', async () => {
    const { exitCode, stdout } = await runCli(['explore', '-t', '4', '-n', '6'], { env: { COLUMNS: '80' } });
    expect(exitCode).toBe(0);
    const rows = stdout.split('\n').filter((line) => line.includes('█'));
    expect(rows).toHaveLength(23);
    for (const row of rows) {
      expect(row.length, row).toBeLessThanOrEqual(80);
      expect(row, row).toMatch(/█ {2}(broken|holds)$/);
    }
  });
});

