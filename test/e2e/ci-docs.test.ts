import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, type TestSuite, type TestSuites } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';

// docs/ci.md's workflows, run: every `npx race-demo` line of both, as the workflow runs it (the
// install line is the one thing left out: the tests run the package they are in). A workflow step
// fails on a non-zero exit, so every one must exit 0; the JUnit each writes must parse.

const page = readFileSync(new URL('../../docs/ci.md', import.meta.url), 'utf8');
const workflows = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((block) => block[1]!);
const commands = workflows.flatMap((yaml) => [...yaml.matchAll(/npx race-demo ([^\n]*?)(?: > (\S+))?$/gm)].map((m) => ({ args: m[1]!.split(' '), output: m[2] ?? null })));

/** The one test suite of a report, whether the parser gives the <testsuites> around it or not. */
function suiteOf(report: TestSuites | TestSuite | null | undefined): TestSuite {
  const suites = (report as TestSuites | null)?.testsuite;
  return suites ? suites[0]! : (report as TestSuite);
}

describe('docs/ci.md', () => {
  it('shows a GitHub and a GitLab workflow, each with the same checks', () => {
    expect(workflows).toHaveLength(2);
    expect(commands.length).toBeGreaterThanOrEqual(8);
  });

  it.each(commands)('`race-demo $args` exits 0, as its workflow step needs', async ({ args, output }) => {
    const dir = mkdtempSync(join(tmpdir(), 'race-demo-ci-'));
    const junit = args.indexOf('--junit');
    const given = junit >= 0 ? args.map((arg, i) => (i === junit + 1 ? join(dir, arg) : arg)) : args;
    const { exitCode, stdout, stderr } = await runCli(given);
    expect(stderr).toBe('');
    expect(exitCode).toBe(0);
    if (output) expect(JSON.parse(stdout)).toMatchObject({ schemaVersion: 2 });
    if (junit >= 0) {
      const suite = suiteOf(await parse(readFileSync(given[junit + 1]!, 'utf8')));
      expect(suite.failures).toBe(0);
      expect(suite.testcase!.length).toBe(suite.tests);
    }
  });
});

describe('a failed check in CI', () => {
  it('prints why and how to reproduce it, writes JUnit with the failure, and on GitHub an annotation and a summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'race-demo-ci-'));
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const junit = join(dir, 'race.xml');
    const args = ['run', '--mode', 'unsafe,atomic', '--threads', '2', '--iters', '50', '--widen', 'always', '--expect', 'correct', '--json', '--junit', junit];
    const { exitCode, stdout, stderr } = await runCli(args, { env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary } });
    expect(exitCode).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ ok: false });
    const said = lines(stderr);
    expect(said[0]).toMatch(/^race-demo: --expect correct did not hold: expected every mode to keep the invariant, but unsafe \(gap widened\) broke it: /);
    expect(said[1]).toBe(`race-demo: to reproduce: race-demo ${args.join(' ')}; step by step: race-demo replay --mode unsafe --threads 2 --iters 1 --schedule 1,2,1,2`);
    expect(said[2]).toMatch(/^::error title=race-demo%3A --expect correct did not hold \(counter unsafe\)::unsafe broke the invariant: The counter reached \d+ of 100/);
    expect(said).toHaveLength(3);

    const suite = suiteOf(await parse(readFileSync(junit, 'utf8')));
    expect(suite).toMatchObject({ name: 'race-demo run counter', tests: 2, failures: 1, errors: 0 });
    const [unsafe, atomic] = suite.testcase!;
    expect(unsafe).toMatchObject({ name: 'unsafe', classname: 'race-demo.counter' });
    expect(unsafe!.failure![0]!.message).toMatch(/^unsafe broke the invariant: The counter reached/);
    expect(unsafe!.failure![0]!.inner).toContain('To reproduce: race-demo run');
    expect(atomic).toMatchObject({ name: 'atomic' });
    expect(atomic!.failure).toBeUndefined();

    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('| unsafe (gap widened) | 100 |');
    expect(markdown).toContain('race-demo replay --mode unsafe --threads 2 --iters 1 --schedule 1,2,1,2');
  });
});
