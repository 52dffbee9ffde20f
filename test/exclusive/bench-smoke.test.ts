import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// Here, apart from the rest: the benchmark keeps both CPUs busy, which slows and starves the files beside it.
const BENCH = fileURLToPath(new URL('../../bench/bench.ts', import.meta.url));

describe('npm run bench (smoke: one tiny point)', () => {
  it('measures every mode and the baselines, and writes the table, the targets and the chart', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'race-demo-bench-')), 'RESULTS.md');
    await promisify(execFile)(process.execPath, ['--import', 'tsx', BENCH, '--quick', '--out', out], { timeout: 120_000 });
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(`Node ${process.version}`);
    expect(text).toContain('Command: `npm run bench -- --quick`');
    for (const row of ['unsafe', 'atomic', 'lock', 'spin', 'cas', 'bare Atomics.add', 'bare read-modify-write']) {
      expect(text).toMatch(new RegExp(`\\n\\| ${row} \\| [\\d.]+ \\([\\d.]+–[\\d.]+\\) \\|`));
    }
    expect(text).toMatch(/\| atomic vs bare Atomics\.add .* \| [\d.]+× \| 1\.1× \| (yes|no) \|/);
    expect(text).toMatch(/\| `race-demo --help` \| \d+ \(\d+–\d+\) \|/);
    expect(text).toContain('| lock, spins 0 |');
    expect(readFileSync(`${out}.svg`, 'utf8')).toMatch(/^<svg[\s\S]*<polyline|^<svg[\s\S]*<circle/);
    expect(existsSync(out)).toBe(true);
    // The loops' own cost: no run may have slept in a widened gap, one thread or two (a widened rerun once
    // gave unsafe at one thread 224,280 ns an increment, all of it sleep).
    expect(text).toContain("gap, which is off (`widen: 'never'`): unsafe is timed as its plain loop");
    const runs = JSON.parse(readFileSync(`${out}.runs.json`, 'utf8')) as { mode: string; threads: number; widened: boolean }[];
    expect(new Set(runs.filter((r) => r.mode === 'unsafe').map((r) => r.threads))).toEqual(new Set([1, 2]));
    expect(runs.filter((r) => r.widened)).toEqual([]);
  }, 150_000);
});
