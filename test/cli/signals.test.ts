import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { handleSignals, stoppingSignal } from '../../dist/cli/signals.js';

function setUp() {
  const process = new EventEmitter();
  const controller = new AbortController();
  const said: string[] = [];
  const exits: string[] = [];
  let clock = 0;
  const signals = handleSignals(process, controller, { write: (text) => said.push(text), die: (signal) => exits.push(signal), now: () => clock });
  return { process, controller, said, exits, advance: (ms: number) => (clock += ms), ended: () => signals.ended() };
}

describe('signals', () => {
  it('the first Ctrl-C aborts the run, which then stops its workers and says how far it got', () => {
    const { process, controller, said, exits } = setUp();
    process.emit('SIGINT');
    expect(controller.signal.aborted).toBe(true);
    expect(controller.signal.reason).toBe('SIGINT');
    expect([said, exits]).toEqual([[], []]);
  });

  it('the same signal again within a moment is one delivery counted twice: nothing more happens', () => {
    const { process, said, exits, advance } = setUp();
    process.emit('SIGTERM');
    advance(5);
    process.emit('SIGTERM');
    expect([said, exits]).toEqual([[], []]);
  });

  it('a second Ctrl-C later ends the process at once by the signal (status 130), and says so', () => {
    const { process, said, exits, advance } = setUp();
    process.emit('SIGINT');
    advance(1000);
    process.emit('SIGINT');
    expect(said).toEqual(['race-demo: SIGINT again: stopped at once, without a summary\n']);
    expect(exits).toEqual(['SIGINT']);
  });

  it('the terminal closing (SIGHUP) aborts the run too; a second one ends it at once (status 129)', () => {
    const { process, controller, exits, advance } = setUp();
    process.emit('SIGHUP');
    expect(controller.signal.reason).toBe('SIGHUP');
    advance(1000);
    process.emit('SIGHUP');
    expect(exits).toEqual(['SIGHUP']);
  });

  it('a signal that comes after the command has ended still ends the process by it, and says so', () => {
    const { process, said, exits, ended } = setUp();
    ended();
    process.emit('SIGTERM');
    expect(said).toEqual(['race-demo: interrupted by SIGTERM as it finished\n']);
    expect(exits).toEqual(['SIGTERM']);
  });

  it('an interrupted command, once it has said how far it got, ends by its signal; a command that finished, or serve stopped by it, does not', () => {
    const controller = new AbortController();
    expect(stoppingSignal(controller, 0)).toBeNull();
    controller.abort('SIGTERM');
    expect(stoppingSignal(controller, 143)).toBe('SIGTERM');
    expect(stoppingSignal(controller, 0)).toBeNull();
    expect(stoppingSignal(controller, 3)).toBeNull();
  });

  it('a SIGTERM after a Ctrl-C ends it at once by SIGTERM (status 143), however soon', () => {
    const { process, exits } = setUp();
    process.emit('SIGINT');
    process.emit('SIGTERM');
    expect(exits).toEqual(['SIGTERM']);
  });
});
