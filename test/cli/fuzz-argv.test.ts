import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../dist/cli/main.js';

// Arbitrary command lines, parsed and run in-process. The signal is already aborted, so an argv that
// happens to be valid ends as "interrupted" before any worker starts instead of running for minutes.
const DOCUMENTED = [0, 1, 2, 3, 130, 143];

const flags = ['-t', '--threads', '-n', '--iters', '-m', '--mode', '--expect', '--json', '--no-barrier', '--no-color', '--scenario', '--stats',
  '-k', '--trials', '--until-race', '--widen', '--no-evidence', '--timeout', '-s', '--schedule', '--max-states', '--replay', '--help', '-V', '--version'];
const words = ['run', 'replay', 'explore', 'help', 'all', 'unsafe', 'atomic', 'lock', 'spin', 'cas', 'correct', 'race', 'never', 'auto', 'always',
  '1,2,1,2', 'counter', 'list', 'withdraw', 'unsafe,cas'];

const token = fc.oneof(
  fc.constantFrom(...flags),
  fc.constantFrom(...words),
  fc.integer().map(String),
  fc.double().map(String),
  fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
  fc.constantFrom('1e5', '100_000', '1e400', '0x10', '', ' ', '--', '-', '=', '--threads=3', '-t4'),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);

function capture() {
  const out = { text: '', isTTY: false, write: (s: string) => (out.text += s) };
  const err = { text: '', isTTY: false, write: (s: string) => (err.text += s) };
  return { out, err };
}

describe('arbitrary command lines', () => {
  it('never throw, never print a stack trace, never exit outside the documented codes', async () => {
    const aborted = AbortSignal.abort('SIGINT');
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 8 }), async (argv) => {
        const { out, err } = capture();
        const code = await main(argv, { stdout: out, stderr: err, env: { RACE_DEMO_DEBUG: '1' }, colorSupport: 0, signal: aborted });
        expect(DOCUMENTED).toContain(code);
        expect(err.text).not.toMatch(/\n\s+at /);
        expect(err.text).not.toContain('internal error');
        expect(err.text).not.toContain('spawned');
        // A usage error is one line; with no command at all, the usage text itself.
        if (code === 2 && !err.text.startsWith('Usage: race-demo')) expect(err.text.trim().split('\n')).toHaveLength(1);
        if (code !== 0) expect(out.text).toBe('');
      }),
      { numRuns: 400 },
    );
  });
});
