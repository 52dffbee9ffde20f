import { InterruptedError } from '../errors.js';

/** What a command reads keys from: stdin, where it is a terminal. */
export interface KeyInput {
  readonly isTTY?: boolean | undefined;
  setRawMode?(raw: boolean): unknown;
  setEncoding(encoding: 'utf8'): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: string) => void): unknown;
  off(event: 'end', listener: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

const CTRL_C = '\u0003';

/** What stops the wait for a key: a signal (its name), or the terminal gone (its input ended: a hang-up). */
const HANG_UP = 'SIGHUP';

/**
 * Single keys from a terminal, one at a time, in raw mode (no Enter needed, no echo). Ctrl-C, which raw
 * mode turns into a key, is an interruption, as the signal would be; so is the signal itself, or the
 * terminal's input ending, while a key is awaited: nobody is left to press one.
 */
export class Keys {
  private readonly queue: string[] = [];
  private waiting: { resolve: (key: string) => void; reject: (error: unknown) => void } | null = null;
  /** Why no key will come any more (a signal's name), once that is so. */
  private stopped: string | null = null;
  private readonly listener = (chunk: string): void => {
    for (const key of splitKeys(chunk)) {
      if (this.waiting) {
        const { resolve } = this.waiting;
        this.waiting = null;
        resolve(key);
      } else {
        this.queue.push(key);
      }
    }
  };
  private readonly onEnd = (): void => this.stop(HANG_UP);
  private readonly onAbort = (): void => this.stop(typeof this.signal?.reason === 'string' ? this.signal.reason : 'SIGINT');

  private constructor(
    private readonly input: KeyInput,
    private readonly signal: AbortSignal | undefined,
  ) {
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    input.on('data', this.listener);
    input.on('end', this.onEnd);
    input.resume();
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Keys from `input`, or null where it is not a terminal; `signal` ends any wait for a key. */
  static open(input: KeyInput | undefined, signal?: AbortSignal): Keys | null {
    return input?.isTTY && input.setRawMode ? new Keys(input, signal) : null;
  }

  /** The next key pressed; rejects with an InterruptedError once no key will come. */
  async next(): Promise<string> {
    if (this.queue.length === 0 && this.stopped !== null) throw new InterruptedError(this.stopped);
    const key = this.queue.shift() ?? (await new Promise<string>((resolve, reject) => (this.waiting = { resolve, reject })));
    if (key === CTRL_C) throw new InterruptedError('SIGINT');
    return key;
  }

  close(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.input.off('data', this.listener);
    this.input.off('end', this.onEnd);
    this.input.setRawMode?.(false);
    this.input.pause();
  }

  private stop(signal: string): void {
    this.stopped ??= signal;
    // A signal outranks the keys already typed: nobody waits for their answer any more.
    this.queue.length = 0;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(new InterruptedError(this.stopped));
  }
}

const ESCAPE = String.fromCharCode(27);

/** A chunk as keys: an arrow (escape, [, a letter) is one key, the rest one character each. */
function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  for (let i = 0; i < chunk.length; ) {
    const length = chunk[i] === ESCAPE && chunk[i + 1] === '[' && i + 2 < chunk.length ? 3 : 1;
    keys.push(chunk.slice(i, i + length));
    i += length;
  }
  return keys;
}
