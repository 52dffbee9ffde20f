import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIters, parseThreads, parseTrials } from '../../dist/cli/parse.js';
import { lines, runCli } from '../helpers/cli.js';

// The real CLI, given a command line made invalid in one place: exit 2, one line, and no worker started
// (RACE_DEMO_DEBUG reports every spawn on stderr).
const badNumber = fc.oneof(
  fc.constantFrom('0', '-1', '1.5', 'abc', '', '0x10', '1e400', '257', '9'.repeat(30), '٣', '１'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((s) => !/^\d+$/.test(s)),
);

/** Whether the CLI's own parser refuses the value: 257 is too many threads but fine trials; 1e3 is a number. */
const refuses = (parse: (value: string) => unknown) => (value: string) => {
  try {
    parse(value);
    return false;
  } catch {
    return true;
  }
};

const scenarioModes: Record<string, string[]> = { counter: ['unsafe', 'atomic', 'lock', 'spin', 'cas'], list: ['unsafe', 'atomic', 'lock'], withdraw: ['unsafe', 'cas', 'lock'] };
const scenario = fc.constantFrom(...Object.keys(scenarioModes));

const invalid = fc.oneof(
  badNumber.filter(refuses(parseThreads)).map((v) => ['run', '--threads', v]),
  badNumber.filter(refuses(parseIters)).map((v) => ['run', '--iters', v]),
  badNumber.filter(refuses(parseTrials)).map((v) => ['run', '--trials', v]),
  // A mode the drawn scenario does not have (or no mode name at all).
  fc.tuple(scenario, fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('spin', 'atomic', 'cas', 'lock,spin'))).filter(([name, mode]) => !['all', ...scenarioModes[name]!].includes(mode.trim()) && !mode.split(',').every((m) => scenarioModes[name]!.includes(m.trim()))).map(([name, mode]) => ['run', '--scenario', name, '--mode', mode]),
  fc.tuple(scenario, fc.constantFrom('spin', 'atomic', 'cas', 'nope')).filter(([name, mode]) => !scenarioModes[name]!.includes(mode)).map(([name, mode]) => ['replay', '--scenario', name, '--mode', mode]),
  fc.string({ minLength: 1, maxLength: 8 }).filter((v) => !Object.keys(scenarioModes).includes(v)).map((v) => ['explore', '--scenario', v]),
  // Not a schedule at all: anything with a character a schedule never has (digits, commas, spaces, xN repeats, 1e0 or 1_0 counts).
  fc.tuple(scenario, fc.string({ maxLength: 8 }).filter((v) => !/^[\d,\sxeE_]+$/.test(v) || v.trim() === '')).map(([name, v]) => ['replay', '--scenario', name, '--schedule', v]),
  fc.tuple(scenario, fc.integer({ min: 3, max: 99 })).map(([name, t]) => ['replay', '--scenario', name, '--schedule', `1,2,${t}`]),
  fc.string({ minLength: 1, maxLength: 10 }).filter((v) => !['run', 'replay', 'explore', 'help'].includes(v) && !v.startsWith('-')).map((v) => [v]),
);

describe('invalid command lines on the real CLI', () => {
  it('exit 2 with one line and start no worker', async () => {
    await fc.assert(
      fc.asyncProperty(invalid, async (argv) => {
        const { exitCode, stdout, stderr } = await runCli(argv, { env: { RACE_DEMO_DEBUG: '1' } });
        expect(exitCode).toBe(2);
        expect(stdout).toBe('');
        expect(lines(stderr)).toHaveLength(1);
        expect(stderr).not.toContain('spawned');
        expect(stderr).not.toMatch(/\n\s+at /);
      }),
      { numRuns: 30 },
    );
    // 30 runs of the real CLI, each a Node start: a few seconds alone, longer beside the other files.
  }, 60_000);
});
