import type { Output } from './program.js';

/**
 * A process stream that never throws at the writer: a failed write (a full disk, a closed pipe) is
 * remembered, and the command finishes; start.ts then reports it once and exits with its own code.
 * A file or a terminal fails synchronously (Node writes them with writeSync), a pipe with an 'error' event.
 */
export interface GuardedOutput extends Output {
  /** The first write error that was not a reader going away (EPIPE); null when every write succeeded. */
  readonly failure: NodeJS.ErrnoException | null;
  /** Whether the reader went away (EPIPE): the rest of the output had nowhere to go, which is not our error. */
  readonly closed: boolean;
}

export interface WritableStream {
  write(text: string): unknown;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export function guardOutput(stream: WritableStream): GuardedOutput {
  let failure: NodeJS.ErrnoException | null = null;
  let closed = false;
  const fail = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') closed = true;
    else failure ??= error;
  };
  stream.on('error', fail);
  return {
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    get failure() {
      return failure;
    },
    get closed() {
      return closed;
    },
    write(text: string) {
      if (failure || closed) return false;
      try {
        return stream.write(text);
      } catch (error) {
        fail(error as NodeJS.ErrnoException);
        return false;
      }
    },
  };
}

/** "ENOSPC: no space left on device, write" → "no space left on device (ENOSPC)". */
export function describeWriteError(error: NodeJS.ErrnoException): string {
  const reason = error.message.replace(/^[A-Z]+: /, '').replace(/, write$/, '');
  return error.code ? `${reason} (${error.code})` : reason;
}
