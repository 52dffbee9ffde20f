import { describe, expect, it } from 'vitest';
import { lines, runCli } from '../helpers/cli.js';
import { startInTerminal } from '../helpers/terminal.js';

// replay --step and play, in a real pseudo-terminal (util-linux's script): raw keys, a real width,
// every step on a real thread.

const CLEAR = '\u001b[2J\u001b[H';
/** The screens drawn so far, each as its lines. */
const screens = (output: string) => output.split(CLEAR).filter((screen) => screen.trim() !== '');
const widest = (output: string) => Math.max(...output.split('\n').map((line) => line.length));

describe('replay --step, at a terminal', () => {
  it('walks the lost update one key at a time, back a step with b, and ends with the whole report', async () => {
    const terminal = startInTerminal(['replay', '--step']);
    await terminal.waitFor('Next: step 1 of 4, thread 1, line 1: v = c[0].');
    terminal.press(' ');
    await terminal.waitFor('Next: step 2 of 4, thread 2, line 1: v = c[0].');
    terminal.press('\r');
    await terminal.waitFor('Next: step 3 of 4');
    terminal.press('b');
    await terminal.waitFor('Next: step 2 of 4');
    for (const next of [3, 4]) {
      terminal.press(' ');
      await terminal.waitFor(`Next: step ${next} of 4`);
    }
    terminal.press(' ');
    await terminal.waitFor('The counter reached 1 of 2: 1 increment lost.');
    const { exitCode, stdout } = await terminal.done;
    expect(exitCode).toBe(0);
    const last = screens(stdout).at(-1)!;
    expect(last).toMatch(/\n\s+4\s{20,}2 c\[0\] = v \+ 1 → 1\s+c\[0\] = 1\s+late: 1 update lost\n/);
    expect(widest(stdout.replaceAll(CLEAR, '\n'))).toBeLessThanOrEqual(80);
  });

  it('q stops it part-way, saying where', async () => {
    const terminal = startInTerminal(['replay', '--step', '--scenario', 'withdraw']);
    await terminal.waitFor('Next: step 1 of 4');
    terminal.press(' ');
    await terminal.waitFor('Next: step 2 of 4');
    terminal.press('q');
    const { exitCode, stdout } = await terminal.done;
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Stopped after 1 step of 4.');
  });

  it('--delay takes each step after a pause, with no key', async () => {
    const terminal = startInTerminal(['replay', '--delay', '20', '--scenario', 'deadlock']);
    const { exitCode, stdout } = await terminal.done;
    expect(exitCode).toBe(0);
    expect(screens(stdout).length).toBeGreaterThanOrEqual(5);
    expect(stdout).toContain('Deadlock: thread 1 holds A and waits for B; thread 2 holds B and waits for A.');
  });

  it('off a terminal, --step runs straight through, as the plain replay does', async () => {
    const stepped = await runCli(['replay', '--step']);
    const plain = await runCli(['replay']);
    expect(stepped.exitCode).toBe(0);
    expect(stepped.stdout).toBe(plain.stdout);
  });
});

describe('play: you are the scheduler', () => {
  it.each([
    ['counter', [], '1212', 'make the counter end below 2', '--schedule 1,2,1,2'],
    ['list', [], '121212', 'make an item go missing from the list', '--schedule 1,2,1,2,1,2'],
    ['withdraw', [], '1212', 'make it pay out more than the 10 there is', '--schedule 1,2,1,2'],
    ['deadlock', [], '12', 'deadlock the threads', '--schedule 1,2,1,2'],
    ['reorder', [], '1212', 'make both threads read 1 in a round', '--schedule 1,2,1,2'],
    ['docs/examples/add-twice.mjs', [], '1212', 'reach an end the test forbids or finds interesting', '--schedule 1,2,1,2'],
  ])('%s can be won, and the replay command it prints takes the same steps again', async (scenario, extra, keys, goal, schedule) => {
    const terminal = startInTerminal(['play', '--scenario', scenario, ...extra]);
    await terminal.waitFor(`Goal: ${goal}`);
    for (const key of keys) {
      terminal.press(key);
      await terminal.waitFor('step');
    }
    await terminal.waitFor('you reached the goal!');
    // The game is over: it ends by itself, with no key.
    const { exitCode, stdout } = await terminal.done;
    expect(exitCode).toBe(0);
    const farewell = screens(stdout).at(-1)!.split('You reached the goal.')[1]!.replace(/\s+/g, ' ');
    const command = /Replay it: race-demo (replay .*--schedule [\d,]+)/.exec(farewell)![1]!;
    expect(command).toContain(schedule);
    // The command takes the same steps again, on fresh threads, to the same end.
    const again = await runCli([...command.split(' '), '--json']);
    expect(again.exitCode).toBe(0);
    expect(farewell).toContain((JSON.parse(again.stdout) as { summary: string[] }).summary[0]);
    expect(widest(stdout.replaceAll(CLEAR, '\n'))).toBeLessThanOrEqual(80);
  });

  it('says before the first key where no order of whole steps reaches the goal (store buffering needs a store buffer)', async () => {
    const terminal = startInTerminal(['play', '--scenario', 'docs/examples/store-buffering.mjs']);
    await terminal.waitFor('Goal:');
    await terminal.waitFor('1–2: that thread');
    const first = screens(terminal.output()).at(-1)!.replace(/\s+/g, ' ');
    expect(first).toContain('No order of whole steps gets there (sc forbids it: every interleaving is counted); only a store buffer does');
    for (const key of '1221') {
      terminal.press(key);
      await terminal.waitFor('step');
    }
    const { exitCode, stdout } = await terminal.done;
    expect(exitCode).toBe(0);
    expect(screens(stdout).at(-1)!.replace(/\s+/g, ' ')).toContain('The goal was not reached.');
  });

  it('refuses a done thread, takes a step back with u, and says the goal was not reached when it was not', async () => {
    const terminal = startInTerminal(['play']);
    await terminal.waitFor('Goal: make the counter end below 2');
    for (const key of '11') {
      terminal.press(key);
      await terminal.waitFor('step');
    }
    terminal.press('1');
    await terminal.waitFor('Thread 1 has already taken all 2 steps it takes: pick another.');
    terminal.press('u');
    await terminal.waitFor('thread 1: next runs line 2: c[0] = v + 1');
    for (const key of '122') {
      terminal.press(key);
      await terminal.waitFor('step');
    }
    await terminal.waitFor('the goal was not reached');
    const { stdout } = await terminal.done;
    expect(stdout.replace(/\s+/g, ' ')).toContain('The goal was not reached. The counter reached 2: exact. Your schedule: 1,1,2,2');
  });

  it('stops part-way with q, saying where', async () => {
    const terminal = startInTerminal(['play']);
    await terminal.waitFor('Goal: make the counter end below 2');
    terminal.press('1');
    await terminal.waitFor('step');
    terminal.press('q');
    const { exitCode, stdout } = await terminal.done;
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Stopped after 1 step: 1.');
  });

  it('needs a terminal: off one, exit 2 and one line', async () => {
    const { exitCode, stdout, stderr } = await runCli(['play']);
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(lines(stderr)).toEqual(['race-demo: error: play needs a terminal: its keys pick which thread moves next (to run a schedule of your own without one, use replay --schedule)']);
  });
});

describe('a signal at a terminal, part-way through: the terminal restored, its exit code, within a second', () => {
  const sessions = {
    'replay --step': { args: ['replay', '--step'], keys: '  ', shown: (k: number) => `Next: step ${k + 2} of 4` },
    play: { args: ['play'], keys: '12', shown: () => 'step' },
    // A litmus file's game counts its goal on the model first: a signal ends that as well.
    'play SB.litmus': { args: ['play', '--scenario', 'docs/examples/litmus/SB.litmus'], keys: '1', shown: () => 'step' },
    'replay --step add-twice.mjs': { args: ['replay', '--step', '--scenario', 'docs/examples/add-twice.mjs'], keys: ' ', shown: (k: number) => `Next: step ${k + 2} of 4` },
  };
  it.each([
    ['replay --step', 'SIGTERM', 143],
    ['replay --step', 'SIGHUP', 129],
    ['replay --step', 'SIGINT', 130],
    ['play', 'SIGTERM', 143],
    ['play', 'SIGHUP', 129],
    ['play', 'SIGINT', 130],
    ['play SB.litmus', 'SIGTERM', 143],
    ['play SB.litmus', 'SIGHUP', 129],
    ['play SB.litmus', 'SIGINT', 130],
    ['replay --step add-twice.mjs', 'SIGTERM', 143],
  ] as const)('%s, %s: exit %i', async (name, signal, code) => {
    const session = sessions[name];
    const terminal = startInTerminal(session.args, { afterwards: true });
    await terminal.waitFor(name.startsWith('play') ? 'Goal:' : 'Next: step 1 of 4');
    for (const [k, key] of [...session.keys].entries()) {
      terminal.press(key);
      await terminal.waitFor(session.shown(k));
    }
    const sentAt = terminal.signal(signal);
    const { exitCode, restored, exitedAt } = await terminal.afterwards();
    expect(exitCode).toBe(code);
    expect(restored).toBe(true);
    expect(exitedAt - sentAt).toBeLessThan(1000);
    expect(terminal.output()).toContain(`race-demo: interrupted by ${signal}`);
  });
});
