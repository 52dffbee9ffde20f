import { InterruptedError } from '../errors.js';

/** What a command reads keys from: stdin, where it is a terminal. */
export interface KeyInput {
  readonly isTTY?: boolean | undefined;
  setRawMode?(raw: boolean): unknown;
  setEncoding(encoding: 'utf8'): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  off(event: 'data', listener: (chunk: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

const CTRL_C = '\u0003';

/**
 * Single keys from a terminal, one at a time, in raw mode (no Enter needed, no echo). Ctrl-C, which raw
 * mode turns into a key, is an interruption, as the signal would be.
 */
export class Keys {
  private readonly queue: string[] = [];
  private waiting: ((key: string) => void) | null = null;
  private readonly listener = (chunk: string): void => {
    for (const key of splitKeys(chunk)) {
      if (this.waiting) {
        const resolve = this.waiting;
        this.waiting = null;
        resolve(key);
      } else {
        this.queue.push(key);
      }
    }
  };

  private constructor(private readonly input: KeyInput) {
    input.setRawMode?.(true);
    input.setEncoding('utf8');
    input.on('data', this.listener);
    input.resume();
  }

  /** Keys from `input`, or null where it is not a terminal. */
  static open(input: KeyInput | undefined): Keys | null {
    return input?.isTTY && input.setRawMode ? new Keys(input) : null;
  }

  /** The next key pressed. */
  async next(): Promise<string> {
    const key = this.queue.shift() ?? (await new Promise<string>((resolve) => (this.waiting = resolve)));
    if (key === CTRL_C) throw new InterruptedError('SIGINT');
    return key;
  }

  close(): void {
    this.input.off('data', this.listener);
    this.input.setRawMode?.(false);
    this.input.pause();
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
