import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { lines, runCli } from '../helpers/cli.js';

// A scenario from a file runs in run, replay and explore like a built-in one; a file that is not a
// scenario is refused with exit 2 and one line naming it; a scenario that fails at run time is exit 3.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = './docs/examples/running-max.js';
const exampleSource = readFileSync(join(ROOT, EXAMPLE), 'utf8');
const inRoot = { cwd: ROOT };

describe('the example in docs/scenarios.md, from its file', () => {
  it('is the code the page shows', () => {
    const page = readFileSync(join(ROOT, 'docs/scenarios.md'), 'utf8');
    const shown = [...page.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(shown).toContain(exampleSource);
  });

  it('run: the race breaks the invariant (the widened gap shows it), the fix is exact', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '--scenario', EXAMPLE, '-t', '2', '-n', '2000', '--trials', '3', '--json'], inRoot);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { scenario: string; results: { mode: string; ok: boolean; actual: number; expected: number }[] };
    expect(report.scenario).toBe('running-max');
    const [unsafe, cas] = report.results;
    expect(unsafe!.ok).toBe(false);
    expect(cas).toMatchObject({ mode: 'cas', ok: true, actual: 4000, expected: 4000 });
  });

  it('replay: the schedule that loses the larger offer, on real threads', async () => {
    const { exitCode, stdout } = await runCli(['replay', '--scenario', EXAMPLE, '--schedule', '2,1,2,1', '--json'], inRoot);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout) as { actual: number; ok: boolean; steps: { action: string; note: { text: string } | null }[] };
    expect(report).toMatchObject({ actual: 1, ok: false });
    expect(report.steps.at(-1)!.note?.text).toBe('overwrites 2: the larger offer is lost');
  });

  it('explore: counts every interleaving, and prints replay commands that name the file', async () => {
    const { exitCode, stdout } = await runCli(['explore', '--scenario', EXAMPLE, '-t', '2', '-n', '2'], inRoot);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('22 of 70 interleavings end below the largest offer');
    expect(stdout.replace(/\n\s*/g, ' ')).toContain(`race-demo replay --scenario ${EXAMPLE} --mode unsafe --threads 2 --iters 2 --schedule`);
  });

  it('explore --replay runs its witness on real threads, loading the file there too', async () => {
    const { exitCode, stdout } = await runCli(['explore', '--scenario', EXAMPLE, '--replay'], inRoot);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('as the model says');
  });
});

describe('a file that is not a scenario', () => {
  const dir = mkdtempSync(join(tmpdir(), 'race-demo-scenarios-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, source: string) => writeFileSync(join(dir, name), source);
  write('none.js', 'export const x = 1;\n');
  write('throws.js', "throw new Error('boom at load');\n");
  write('syntax.js', "export default { name: 'x',\n");
  write('partial.js', "export default { name: 'partial', summary: 's', modes: [{ name: 'unsafe', racy: 'yes' }] };\n");
  write('number.js', 'export default 42;\n');
  write('bad-mode.js', exampleSource.replace("racy: true,", "racy: 'yes',"));
  mkdirSync(join(dir, 'folder.js'));
  write('step-throws.js', exampleSource.replace('      memory.store(MAX, mine);', "      if (thread === 2) throw new Error('step exploded');\n      memory.store(MAX, mine);"));
  write('never-done.js', exampleSource.replace('      state.pc = 1;', '      state.pc = 0;'));
  const inDir = { cwd: dir };

  it.each([
    ['./missing.js', "--scenario './missing.js' is neither a built-in scenario nor a file that exists"],
    ['./nonee.js', "--scenario './nonee.js' is neither a built-in scenario nor a file that exists (did you mean ./none.js?)"],
    ['queue', "--scenario 'queue' is not a scenario: expected counter, list, withdraw, deadlock, reorder, or the path of a module that exports one (./my-scenario.js)"],
    ['./folder.js', "--scenario './folder.js' is not a file"],
    ['./none.js', "--scenario './none.js' exports neither a test (shared variables and their threads: export const shared = { x: 0 }) nor a scenario"],
    ['./throws.js', "--scenario './throws.js' failed to load at line 1: boom at load (expected an ES module that loads)"],
    ['./syntax.js', "--scenario './syntax.js' failed to load at line 2: SyntaxError: Unexpected end of input (expected an ES module that loads)"],
    ['./number.js', "--scenario './number.js' does not export a valid scenario: it exports number 42, not an object"],
    ['./partial.js', "--scenario './partial.js' does not export a valid scenario: operation is missing: expected a non-empty string (and 16 more problems)"],
    ['./bad-mode.js', "--scenario './bad-mode.js' does not export a valid scenario: modes[0].racy is 'yes': expected true (the race) or false (a fix)"],
  ])('%s: exit 2, one line naming the file and what is wrong', async (file, message) => {
    for (const command of ['run', 'replay', 'explore']) {
      const { exitCode, stdout, stderr } = await runCli([command, '--scenario', file], inDir);
      expect(exitCode).toBe(2);
      expect(lines(stderr)).toHaveLength(1);
      expect(stderr).toContain(`race-demo: error: ${message}`);
      expect(stdout).toBe('');
    }
  });

  it('a step that throws on a worker: exit 3, naming the thread and the error', async () => {
    const { exitCode, stderr } = await runCli(['run', '--scenario', './step-throws.js', '-t', '2', '-n', '100', '-m', 'unsafe'], inDir);
    expect(exitCode).toBe(3);
    expect(lines(stderr)).toEqual(['race-demo: thread 2 crashed: the scenario ./step-throws.js failed: its step on thread 2 threw: step exploded']);
    const replayed = await runCli(['replay', '--scenario', './step-throws.js'], inDir);
    expect(replayed.exitCode).toBe(3);
    expect(replayed.stderr).toContain('its step on thread 2 threw: step exploded');
  });

  it('a scenario whose threads never finish: the watchdog ends it, exit 3', async () => {
    const { exitCode, stderr } = await runCli(['run', '--scenario', './never-done.js', '-t', '2', '-n', '10', '-m', 'cas', '--timeout', '1000'], inDir);
    expect(exitCode).toBe(3);
    expect(lines(stderr)).toEqual(['race-demo: timed out after 1000 ms in cas mode; threads 1 and 2 had not finished']);
  });
});
