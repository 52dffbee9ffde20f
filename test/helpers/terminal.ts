import { spawn } from 'node:child_process';
import { BIN, stripColor, type CliResult } from './cli.js';

/** A shell word, quoted for sh. */
const quoted = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;

export interface Terminal {
  /** Resolves once the output since the last key shows `text` (colour codes left out). */
  waitFor(text: string): Promise<void>;
  /** Types one key, as a person at the terminal would. */
  press(key: string): void;
  /** Everything shown so far, colour codes left out. */
  output(): string;
  readonly done: Promise<CliResult>;
}

/**
 * The built CLI in a real pseudo-terminal of `cols` × `rows`, through util-linux's `script`: stdin and
 * stdout are a terminal to it, so raw keys, the terminal's width and screen redraws are the real ones.
 */
export function startInTerminal(args: readonly string[], { cols = 80, rows = 50 } = {}): Terminal {
  const command = `stty cols ${cols} rows ${rows}; exec ${[process.execPath, BIN, ...args].map(quoted).join(' ')}`;
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'RACE_DEMO_FAULT', 'RACE_DEMO_DEBUG', 'COLUMNS']) delete env[name];
  const child = spawn('script', ['-qfec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let text = '';
  let from = 0;
  const watchers: { text: string; resolve: () => void }[] = [];
  const check = () => {
    const fresh = stripColor(text.slice(from));
    for (const watcher of [...watchers]) {
      if (fresh.includes(watcher.text)) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve();
      }
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    text += chunk;
    check();
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal, stdout: stripColor(text).replace(/\r\n/g, '\n'), stderr }));
  });
  return {
    waitFor: (wanted) =>
      new Promise<void>((resolve, reject) => {
        watchers.push({ text: wanted, resolve });
        check();
        void done.then(() => reject(new Error(`the terminal closed before showing "${wanted}"; it showed:\n${stripColor(text.slice(from))}`)));
      }),
    press: (key) => {
      from = text.length;
      child.stdin.write(key);
    },
    output: () => stripColor(text).replace(/\r\n/g, '\n'),
    done,
  };
}
