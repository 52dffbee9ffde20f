import type { ColorSupportLevel } from 'chalk';
import type { KeyInput } from '../keys.js';
import type { Output } from '../program.js';

/** What a command reads and writes besides its options: nothing else of the process. */
export interface CommandIo {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where `replay --step` and `play` read keys (stdin, used only where it is a terminal); made when asked. */
  readonly keyInput?: () => KeyInput;
  /** What stdout supports by itself; default: what chalk detects, once a command that colours loads it. */
  readonly colorSupport?: ColorSupportLevel;
  readonly signal?: AbortSignal | undefined;
  /** The command line as given (without node and the script): what a reproduce line repeats. */
  readonly argv?: readonly string[];
}
