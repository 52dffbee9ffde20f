import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { main } from '../../dist/cli/main.js';
import { createProgram, type ExploreCommandOptions, type PlayCommandOptions, type ReplayCommandOptions, type RunCommandOptions, type ServeCommandOptions } from '../../dist/cli/program.js';
import { lines } from '../helpers/cli.js';

function capture() {
  const out = { text: '', write: (s: string) => (out.text += s) };
  const err = { text: '', write: (s: string) => (err.text += s) };
  return { stdout: out, stderr: err };
}

type Parsed = RunCommandOptions | ReplayCommandOptions | ExploreCommandOptions | PlayCommandOptions | ServeCommandOptions;

/** Parses argv in-process; the run handler only records what it was given. */
async function parse(argv: string[]) {
  const io = capture();
  let options: Parsed | undefined;
  const record = (parsed: Parsed) => {
    options = parsed;
    return Promise.resolve();
  };
  const program = createProgram(io, { run: record, replay: record, explore: record, play: record, serve: record });
  let error: unknown;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (caught) {
    error = caught;
  }
  return { options, error, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('race-demo run options', () => {
  it("leaves the size to the scenario (4 threads × 100,000 unless it says otherwise): every mode, a barrier, colour allowed", async () => {
    const { options, error } = await parse(['run']);
    expect(error).toBeUndefined();
    expect(options).toEqual({
      mode: null,
      barrier: true,
      color: true,
      widen: 'auto',
      evidence: true,
      scenario: 'counter',
    });
  });

  it('reads every option in long and short form', async () => {
    const long = await parse([
      'run', '--threads', '8', '--iters', '1e5', '--mode', 'unsafe,atomic', '--json', '--expect', 'race',
      '--no-barrier', '--no-color', '--trials', '20', '--until-race', '--widen', 'never', '--no-evidence', '--stats', '--scenario', 'list',
    ]);
    expect(long.options).toEqual({
      threads: 8,
      iters: 100000,
      mode: ['unsafe', 'atomic'],
      json: true,
      expect: 'race',
      barrier: false,
      color: false,
      trials: 20,
      untilRace: true,
      widen: 'never',
      evidence: false,
      stats: true,
      scenario: 'list',
    });
    const short = await parse(['run', '-t', '2', '-n', '100_000', '-m', 'lock', '-k', '1e2']);
    expect(short.options).toMatchObject({ threads: 2, iters: 100000, mode: ['lock'], trials: 100 });
  });

  it.each([
    [['run', '-t', '0'], "option '-t, --threads <n>' argument '0' is invalid. Allowed: an integer from 1 to 256"],
    [['run', '--iters', '1.5'], "option '-n, --iters <n>' argument '1.5' is invalid. Allowed: an integer from 1 to 2,147,483,647"],
    [['run', '--mode', 'Fast!'], "option '-m, --mode <modes>' argument 'Fast!' is invalid. Allowed: the scenario's modes"],
    [['run', '--expect', 'maybe'], "option '--expect <outcome>' argument 'maybe' is invalid. Allowed choices are correct, race."],
    [['run', '--trials', '0'], "option '-k, --trials <k>' argument '0' is invalid. Allowed: an integer from 1 to 10,000"],
    [['run', '--widen', 'sometimes'], "option '--widen <when>' argument 'sometimes' is invalid. Allowed choices are never, auto, always."],
    [['run', '--thread', '3'], "unknown option '--thread' (Did you mean --threads?)"],
    [['rn'], "unknown command 'rn' (Did you mean run?)"],
    [['run', 'now'], "too many arguments for 'run'"],
  ])('refuses %j with one line naming the problem', async (argv, message) => {
    const { options, error, stderr, stdout } = await parse(argv);
    expect(options).toBeUndefined();
    expect(error).toBeInstanceOf(CommanderError);
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });

  it('lists the exit codes in --help', async () => {
    const { stdout, error } = await parse(['run', '--help']);
    expect((error as CommanderError).exitCode).toBe(0);
    expect(stdout).toContain('--no-barrier');
    expect(stdout).toMatch(/Exit codes:[\s\S]*\n\s+1\s+--expect did not hold[\s\S]*\n\s+2\s+usage error[\s\S]*\n\s+3\s+run-time failure[\s\S]*130/);
  });
});

describe('race-demo replay options', () => {
  it('leaves the size to the scenario (the library takes 2 threads × 1, or a test\'s own), and the mode and schedule to their defaults', async () => {
    const { options, error } = await parse(['replay']);
    expect(error).toBeUndefined();
    expect(options).toEqual({ color: true, scenario: 'counter' });
  });

  it('reads a schedule, a mode and the output options', async () => {
    const { options } = await parse(['replay', '-t', '3', '-n', '2', '-m', 'lock', '-s', '1, 2,3', '--json', '--no-color']);
    expect(options).toEqual({ threads: 3, iters: 2, mode: 'lock', schedule: [1, 2, 3], json: true, color: false, scenario: 'counter' });
  });

  it.each([
    [['replay', '--schedule', '1,x'], "option '-s, --schedule <threads>' argument '1,x' is invalid. Allowed: thread numbers from 1"],
    [['replay', '--schedule', '0,1'], "argument '0,1' is invalid"],
    [['replay', '--mode', 'unsafe,lock'], "option '-m, --mode <mode>' argument 'unsafe,lock' is invalid. Allowed: one of the scenario's modes"],
  ])('refuses %j with one line', async (argv, message) => {
    const { options, stderr } = await parse(argv);
    expect(options).toBeUndefined();
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain(message);
  });
});

describe('race-demo explore options', () => {
  it("leaves the size (the library takes 2 threads × 2, or a test's own), the race, the models and the state bound to their defaults", async () => {
    const { options } = await parse(['explore']);
    expect(options).toEqual({ color: true, scenario: 'counter' });
  });

  it('takes as many threads as run does: the states decide what the model can count', async () => {
    const { options, error } = await parse(['explore', '-t', '256']);
    expect(error).toBeUndefined();
    expect(options).toMatchObject({ threads: 256 });
  });

  it('reads every option', async () => {
    const { options } = await parse(['explore', '-t', '4', '-n', '6', '-m', 'lock', '--max-states', '5e6', '--replay', '--json']);
    expect(options).toEqual({ threads: 4, iters: 6, mode: 'lock', maxStates: 5_000_000, replay: true, json: true, color: true, scenario: 'counter' });
  });
});

describe('main', () => {
  const io = () => ({ ...capture(), env: {}, colorSupport: 0 as const });

  it('returns 2 for a bad value, and for a total the scenario cannot hold, naming the flags', async () => {
    const bad = io();
    expect(await main(['run', '-n', 'abc'], bad)).toBe(2);
    expect(lines(bad.stderr.text)).toHaveLength(1);

    const tooMany = io();
    expect(await main(['run', '-t', '256', '-n', '1e8'], tooMany)).toBe(2);
    expect(lines(tooMany.stderr.text)).toEqual([
      'race-demo: error: --threads 256 × --iters 100,000,000 = 25,600,000,000 increments, more than the counter scenario takes ' +
        '(2,147,483,647); with 256 threads, --iters can be at most 8,388,607',
    ]);
  });

  it.each([
    [['run', '--scenario', 'list', '-m', 'unsafe,atomic,lock,spin,cas'], "race-demo: error: --mode 'spin' is not a mode of the list scenario: expected unsafe, atomic, lock"],
    [['replay', '--scenario', 'withdraw', '-m', 'atomic'], "race-demo: error: --mode 'atomic' is not a mode of the withdraw scenario: expected unsafe, cas, lock"],
    [['explore', '--scenario', 'list', '-m', 'cas'], "race-demo: error: --mode 'cas' is not a mode of the list scenario: expected unsafe, atomic, lock"],
  ])("refuses %j: a mode the scenario does not have, naming the scenario's", async (argv, message) => {
    const out = io();
    expect(await main(argv, out)).toBe(2);
    expect(lines(out.stderr.text)).toEqual([message]);
  });

  it.each([
    [{ RACE_DEMO_FAULT: 'crash:9' }, ['run', '-t', '2', '-n', '10'], 'race-demo: error: RACE_DEMO_FAULT names thread 9, but there are only threads 1 to 2: the fault would never strike'],
    [{ RACE_DEMO_FAULT: 'explode:2' }, ['replay'], "race-demo: error: RACE_DEMO_FAULT 'explode:2' is invalid: expected crash, exit, hang, oom and a thread, for example crash:2"],
    [{ RACE_DEMO_FAULT: 'crash:1' }, ['explore'], 'race-demo: error: RACE_DEMO_FAULT is set, but explore without --replay starts no thread for the fault to strike'],
  ])('refuses a fault it cannot use (%j, %j), before any worker starts', async (env, argv, message) => {
    const out = { ...io(), env };
    expect(await main(argv, out)).toBe(2);
    expect(lines(out.stderr.text)).toEqual([message]);
  });

  it('returns 0 for --help and --version, and 2 with the help on stderr when no command is given', async () => {
    expect(await main(['--help'], io())).toBe(0);
    const version = io();
    expect(await main(['--version'], version)).toBe(0);
    expect(version.stdout.text).toMatch(/^\d+\.\d+\.\d+\n$/);
    const none = io();
    expect(await main([], none)).toBe(2);
    expect(none.stderr.text).toContain('Usage: race-demo');
  });
});

describe('--version', () => {
  it("prints the package's own version", async () => {
    const { readFileSync } = await import('node:fs');
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { VERSION } = await import('../../dist/cli/version.js');
    expect(VERSION).toBe(version);
  });
});
