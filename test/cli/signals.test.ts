import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { handleSignals } from '../../dist/cli/signals.js';

function setUp() {
  const process = new EventEmitter();
  const controller = new AbortController();
  const said: string[] = [];
  const exits: number[] = [];
  let clock = 0;
  const signals = handleSignals(process, controller, { write: (text) => said.push(text), exit: (code) => exits.push(code), now: () => clock });
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

  it('a second Ctrl-C later ends the process at once with 130, and says so', () => {
    const { process, said, exits, advance } = setUp();
    process.emit('SIGINT');
    advance(1000);
    process.emit('SIGINT');
    expect(said).toEqual(['race-demo: SIGINT again: stopped at once, without a summary\n']);
    expect(exits).toEqual([130]);
  });

  it('the terminal closing (SIGHUP) aborts the run too; a second one ends it at once with 129', () => {
    const { process, controller, exits, advance } = setUp();
    process.emit('SIGHUP');
    expect(controller.signal.reason).toBe('SIGHUP');
    advance(1000);
    process.emit('SIGHUP');
    expect(exits).toEqual([129]);
  });

  it('a signal that comes after the command has ended still sets its exit code, and says so', () => {
    const { process, said, exits, ended } = setUp();
    ended();
    process.emit('SIGTERM');
    expect(said).toEqual(['race-demo: interrupted by SIGTERM as it finished\n']);
    expect(exits).toEqual([143]);
  });

  it('a SIGTERM after a Ctrl-C ends it at once with 143, however soon', () => {
    const { process, exits } = setUp();
    process.emit('SIGINT');
    process.emit('SIGTERM');
    expect(exits).toEqual([143]);
  });
});
