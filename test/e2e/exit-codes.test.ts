import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, lines, runCli, startCli } from '../helpers/cli.js';

const DEBUG = { RACE_DEMO_DEBUG: '1' };

describe('exit code 2: bad input gets one line, no stack trace, no worker', () => {
  it.each([
    [['run', '--threads', '0'], "'-t, --threads <n>' argument '0' is invalid"],
    [['run', '--threads', '257'], "argument '257' is invalid. Allowed: an integer from 1 to 256"],
    [['run', '--threads', 'abc'], "argument 'abc' is invalid"],
    [['run', '--iters', '1.5'], "'-n, --iters <n>' argument '1.5' is invalid"],
    [['run', '--iters', ''], "argument '' is invalid"],
    [['run', '--iters', '-3'], "argument '-3' is invalid"],
    [['run', '--iters', '0x10'], "argument '0x10' is invalid"],
    [['run', '--iters', '0'], "argument '0' is invalid"],
    [['run', '--mode', 'fast'], "race-demo: error: --mode 'fast' is not a mode of the counter scenario: expected unsafe, atomic, lock, spin, cas"],
    [['run', '--scenario', 'list', '--mode', 'unsafe,atomic,lock,spin,cas'], "race-demo: error: --mode 'spin' is not a mode of the list scenario: expected unsafe, atomic, lock"],
    [['run', '--expect', 'maybe'], 'Allowed choices are correct, race.'],
    [['run', '--threads', '4', '--iters', '1e9'], 'more than the counter scenario takes (2,147,483,647)'],
    [['run', '--thraeds', '4'], "unknown option '--thraeds' (Did you mean --threads?)"],
    [['runn'], "unknown command 'runn' (Did you mean run?)"],
    [['run', 'extra'], "too many arguments for 'run'"],
  ])('%j', async (args, message) => {
    const { exitCode, stdout, stderr } = await runCli(args, { env: DEBUG });
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toHaveLength(1);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain('spawned');
  });

  it('with no command, shows the help on stderr', async () => {
    const { exitCode, stdout, stderr } = await runCli([]);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: race-demo');
  });
});

describe('exit code 0: help and version', () => {
  it('--help lists the commands and every exit code', async () => {
    const { exitCode, stdout } = await runCli(['--help']);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('run [options]');
    for (const code of ['0', '1', '2', '3', '4', '130']) expect(stdout).toMatch(new RegExp(`\\n  ${code}\\s`));
    expect(stdout).toContain('143 terminated (SIGTERM)');
  });

  it('run --help lists the options', async () => {
    const { exitCode, stdout } = await runCli(['run', '--help']);
    expect(exitCode).toBe(0);
    for (const flag of ['--scenario', '--threads', '--iters', '--mode', '--json', '--expect', '--trials', '--until-race', '--widen', '--timeout', '--no-evidence', '--stats', '--no-barrier', '--no-color']) {
      expect(stdout).toContain(flag);
    }
  });
});

describe('exit code 3: a worker fails', () => {
  it('names the thread that crashed, prints no total, and leaves no worker running', async () => {
    // Two billion locked increments would take minutes: a prompt exit means the others were terminated.
    const { exitCode, stdout, stderr } = await runCli(['run', '-m', 'lock', '-t', '2', '-n', '1e9', '--json'], {
      env: { RACE_DEMO_FAULT: 'crash:2' },
    });
    expect(exitCode).toBe(3);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual(['race-demo: thread 2 crashed: injected crash (fault crash:2) (it held the lock)']);
  });

  it('reports a worker that exits before finishing its increments', async () => {
    const { exitCode, stdout, stderr } = await runCli(['run', '-m', 'unsafe', '-n', '1000'], { env: { RACE_DEMO_FAULT: 'exit:4' } });
    expect(exitCode).toBe(3);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual(['race-demo: thread 4 exited before finishing its work']);
  });
});

describe('exit codes 130 and 143: interrupted mid-run', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s terminates the workers, prints a partial summary and exits %i', async (signal, code) => {
    const cli = startCli(['run', '-m', 'lock', '-t', '2', '-n', '1e9'], { env: DEBUG });
    await cli.waitForStderr('workers released');
    cli.child.kill(signal);
    const { exitCode, stdout, stderr } = await cli.done;
    expect(exitCode).toBe(code);
    expect(stdout).toBe('');
    expect(lines(stderr).at(-1)).toMatch(
      new RegExp(`^race-demo: interrupted by ${signal} during lock: the counter at [\\d,]+ so far, 0 of 2 threads finished; every worker was terminated$`),
    );
  });
});

describe('exit 130 for a scenario run too', () => {
  it('SIGINT during a withdraw run terminates the workers and says what the cells showed', async () => {
    const cli = startCli(['run', '--scenario', 'withdraw', '-m', 'lock', '-t', '2', '-n', '5e7'], { env: DEBUG });
    await cli.waitForStderr('workers released');
    cli.child.kill('SIGINT');
    const { exitCode, stdout, stderr } = await cli.done;
    expect(exitCode).toBe(130);
    expect(stdout).toBe('');
    expect(lines(stderr).at(-1)).toMatch(/^race-demo: interrupted by SIGINT during lock: paid out at [\d,]+ so far, 0 of 2 threads finished; every worker was terminated$/);
  });

  it('SIGINT during trials names the trial', async () => {
    const cli = startCli(['run', '--scenario', 'list', '-m', 'lock', '-t', '2', '-n', '1e6', '--trials', '5'], { env: DEBUG });
    await cli.waitForStderr('workers released');
    cli.child.kill('SIGINT');
    const { exitCode, stderr } = await cli.done;
    expect(exitCode).toBe(130);
    expect(lines(stderr).at(-1)).toMatch(/^race-demo: interrupted by SIGINT during lock, trial 1 of 5: items in the list at [\d,]+ so far/);
  });
});

describe('signals with many threads, and signals twice', () => {
  it('Ctrl-C while 256 workers start: exit 130 within a second, every worker gone', async () => {
    const cli = startCli(['run', '-t', '256', '-n', '1000', '-m', 'atomic'], { env: DEBUG });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = performance.now();
    cli.child.kill('SIGINT');
    const { exitCode, stderr } = await cli.done;
    expect(exitCode).toBe(130);
    expect(performance.now() - sent).toBeLessThan(1000);
    expect(lines(stderr).at(-1)).toMatch(/^race-demo: interrupted by SIGINT during atomic: /);
  });

  // Each moment of a 256-thread run, named by its debug line: all started, all released, the trial over
  // (its workers being ended). Whatever the moment, a signal ends the run with its code, within a second.
  // Once the trial is over the report may be out already: while 256 workers end, the main thread can run
  // the signal's handler late, so only a run stopped before its trial ended is sure to print nothing.
  it.each([
    ['atomic: 256 workers spawned', 'SIGINT', 130, true],
    ['atomic: workers released', 'SIGTERM', 143, true],
    ['atomic: finished, ', 'SIGINT', 130, false],
    ['atomic: trial 1 of 1', 'SIGTERM', 143, false],
  ] as const)('a signal right after "%s" (%s): exit %i within a second', async (moment, signal, code, noReport) => {
    const cli = startCli(['run', '-t', '256', '-n', '1000', '-m', 'atomic'], { env: DEBUG });
    await cli.waitForStderr(moment);
    const sent = performance.now();
    cli.child.kill(signal);
    const { exitCode, stdout, stderr } = await cli.done;
    expect(exitCode).toBe(code);
    expect(performance.now() - sent).toBeLessThan(1000);
    if (noReport) expect(stdout).toBe('');
    expect(lines(stderr).at(-1)).toMatch(new RegExp(`^race-demo: interrupted by ${signal}`));
  });

  it('the same signal delivered twice at once (as timeout does, to the process and its group) still gives the summary', async () => {
    const cli = startCli(['run', '-m', 'lock', '-t', '2', '-n', '1e9'], { env: DEBUG });
    await cli.waitForStderr('workers released');
    cli.child.kill('SIGTERM');
    cli.child.kill('SIGTERM');
    const { exitCode, stderr } = await cli.done;
    expect(exitCode).toBe(143);
    expect(lines(stderr).at(-1)).toMatch(/^race-demo: interrupted by SIGTERM during lock: the counter at [\d,]+ so far/);
  });
});

describe('output integrity', () => {
  it('a reader that closes the pipe early ends the run quietly', () => {
    const pipeline = `"${process.execPath}" "${BIN}" run --json -n 1000 | head -c 10`;
    const { status, stdout, stderr } = spawnSync('sh', ['-c', pipeline], { encoding: 'utf8' });
    expect(status).toBe(0);
    expect(stdout).toBe('{\n  "schem');
    expect(stderr).toBe('');
  });
});

describe('exit code 4: the output could not be written', () => {
  it.each([
    [['run', '-t', '2', '-n', '100', '-m', 'atomic', '--json']],
    [['replay', '--json']],
    [['explore']],
    [['--help']],
  ])('%j > /dev/full gives one line and exit 4, not a stack trace', (args) => {
    const command = `"${process.execPath}" "${BIN}" ${args.join(' ')} > /dev/full`;
    const { status, stdout, stderr } = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
    expect(status).toBe(4);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual(['race-demo: could not write the output to stdout: no space left on device (ENOSPC)']);
  });

  it('a usage error keeps exit 2 when stderr cannot be written', () => {
    const { status } = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" run --threads 0 2> /dev/full`]);
    expect(status).toBe(2);
  });
});

describe('small things said plainly', () => {
  it('help for a command that does not exist is one line and exit 2', async () => {
    const { exitCode, stdout, stderr } = await runCli(['help', 'nothing']);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual(["race-demo: error: unknown command 'nothing' for help: expected run, replay, explore, play, serve"]);
  });

  it('a schedule entry past any thread count names the allowed range', async () => {
    const { exitCode, stderr } = await runCli(['replay', '-s', '99999999999999999999']);
    expect(exitCode).toBe(2);
    expect(stderr).toContain('Allowed: thread numbers from 1 to 256');
    expect(stderr).not.toContain('Infinity');
  });

  it.each(['0', 'false', ''])('RACE_DEMO_DEBUG=%j leaves debugging off', async (value) => {
    const { exitCode, stderr } = await runCli(['run', '-t', '2', '-n', '10', '-m', 'atomic'], { env: { RACE_DEMO_DEBUG: value } });
    expect(exitCode).toBe(0);
    expect(stderr).toBe('');
  });
});
